"""Chapter: Large language models and a tiny GPT / Büyük dil modelleri ve küçük
bir GPT."""
