; Docstrings: the first statement of a module, class or function body when it is a string.
(module . (expression_statement (string) @doc.module))
(function_definition body: (block . (expression_statement (string) @doc.def)))
(class_definition body: (block . (expression_statement (string) @doc.def)))
