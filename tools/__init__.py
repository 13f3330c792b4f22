"""Site tooling: the output generator, the MkDocs hooks and macros, the benchmark. Snippets never import it."""
