"""Text-to-image shapes / Metinden görüntüye şekiller.

The tensor shapes inside a latent text-to-image diffusion system of the Stable
Diffusion 1.x kind, built with random weights at full size where it is cheap:
the prompt as 77 token vectors from a text encoder, the image as a 4×64×64
latent from a VAE, and the cross-attention through which every latent position
reads the prompt. No model is downloaded; the numbers describe the architecture,
not a trained system.

Needs: torch. Runs in a second.

    python -m snippets.diffusion.text_to_image
"""

from __future__ import annotations

import torch
from torch import nn

# --8<-- [start:sizes]
IMAGE = (3, 512, 512)  # RGB pixels the user gets
VAE_FACTOR = 8  # the VAE halves height and width three times
LATENT_CHANNELS = 4
TEXT_TOKENS, TEXT_DIM = (
    77,
    768,
)  # CLIP ViT-L/14 text encoder: 77 token positions, 768 numbers each
UNET_CHANNELS = 320  # channels of the U-Net at the latent's full resolution
HEADS = 8


def latent_shape(image: tuple[int, int, int] = IMAGE) -> tuple[int, int, int]:
    """Shape of the latent that the diffusion model actually denoises."""
    _, height, width = image
    return LATENT_CHANNELS, height // VAE_FACTOR, width // VAE_FACTOR


# --8<-- [end:sizes]


# --8<-- [start:cross_attention]
def cross_attention_shapes(seed: int = 0) -> dict[str, tuple[int, ...]]:
    """One cross-attention at the U-Net's highest resolution, random weights.

    Queries come from the image features (one per latent position), keys and
    values from the prompt's token vectors: each position takes a weighted mix
    of the prompt's words."""
    torch.manual_seed(seed)
    channels, height, width = latent_shape()
    features = torch.randn(
        1, height * width, UNET_CHANNELS
    )  # (B, 64·64 positions, 320)
    prompt = torch.randn(
        1, TEXT_TOKENS, TEXT_DIM
    )  # (B, 77, 768) from the text encoder
    attention = nn.MultiheadAttention(
        UNET_CHANNELS, HEADS, kdim=TEXT_DIM, vdim=TEXT_DIM, batch_first=True
    )
    with torch.no_grad():
        output, weights = attention(features, prompt, prompt, need_weights=True)
    return {
        "latent": (1, channels, height, width),
        "image features (queries)": tuple(features.shape),
        "prompt tokens (keys, values)": tuple(prompt.shape),
        "attention weights": tuple(weights.shape),
        "output": tuple(output.shape),
    }


# --8<-- [end:cross_attention]


def compression() -> int:
    """How many times fewer numbers the latent has than the image."""
    channels, height, width = latent_shape()
    return (IMAGE[0] * IMAGE[1] * IMAGE[2]) // (channels * height * width)


def main() -> int:
    """Print the shapes."""
    print(
        f"image {IMAGE} → latent {latent_shape()}: {compression()}× fewer "
        "numbers to denoise"
    )
    for name, shape in cross_attention_shapes().items():
        print(f"{name:30} {shape}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
