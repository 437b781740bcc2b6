// Types of compiled-is-current.js (plain JavaScript: bin/ runs before any TypeScript tooling is loaded).
/** `root`: the package directory as a file URL ending in /. True when dist/ can run instead of the sources. */
export declare function compiledIsCurrent(root: URL): boolean;
