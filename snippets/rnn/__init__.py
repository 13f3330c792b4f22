"""Chapter: Recurrent networks: RNN, LSTM, GRU / Tekrarlayan sinir ağları: RNN,
LSTM, GRU."""
