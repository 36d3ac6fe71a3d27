import type { GraphEngine } from '../src/index.js';
export declare const PROJECT: string;
/** A temporary copy of a fixture folder; removed by `dispose`. */
export declare function tempCopy(src?: string): {
    dir: string;
    dispose: () => void;
};
export declare function tempDir(): {
    dir: string;
    dispose: () => void;
};
/** The whole graph as sorted JSON lines, for equality checks. */
export declare function snapshot(engine: GraphEngine): {
    nodes: string[];
    edges: string[];
};
//# sourceMappingURL=helpers.d.ts.map