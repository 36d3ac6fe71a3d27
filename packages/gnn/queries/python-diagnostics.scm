; Parse problems: tree-sitter recovers from errors by inserting ERROR and MISSING nodes.
(ERROR) @error
(MISSING) @missing
