export declare const FIXTURES: string;
export interface CaseResult {
    readonly name: string;
    readonly expected: Record<string, string[]>;
    readonly actual: Record<string, string[]>;
    readonly tp: number;
    readonly fp: string[];
    readonly fn: string[];
}
export declare function listCases(): string[];
export declare function runCase(name: string): Promise<CaseResult>;
//# sourceMappingURL=callgraph-fixtures.d.ts.map