"""Chapter: What machine learning and deep learning are / Makine öğrenmesi ve
derin öğrenme nedir?."""
