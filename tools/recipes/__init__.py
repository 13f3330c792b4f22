"""One recipe per chapter: ``generate(out)`` runs the chapter's snippets and writes what its pages show."""
