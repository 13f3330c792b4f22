"""A tiny GPT trained on a Turkish text / Türkçe bir metinde eğitilen küçük bir
GPT.

A character-level, decoder-only transformer in the style of GPT-2 (token and
position embeddings, pre-norm blocks with causal self-attention and an MLP, a
final layer norm and a linear head), trained to predict the next character of a
short Turkish text written for this project (in the module, so nothing is
downloaded), then sampled with temperature and top-k.

Needs: torch, matplotlib (plot only). Trains in well under a minute on a 2-core
CPU.

    python -m snippets.llm.tiny_gpt --device auto --steps 600 --prompt "Kışın "
    python -m snippets.llm.tiny_gpt --text my_book.txt  # your own UTF-8 text
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

# A short original text written for this project: everyday Turkish, with every
# letter of the alphabet.
CORPUS = """\
Sabah erkenden kalktım ve pencereyi açtım. Deniz sakindi, martılar kıyıda dolaşıyordu. Annem
mutfakta çay demliyordu, babam bahçede domatesleri suluyordu. Kahvaltıda peynir, zeytin, bal ve taze
ekmek vardı.
Okula giderken köprünün üstünden geçtim. Köprünün altında küçük bir dere akıyordu. Derenin kenarında
çocuklar taş seksiyordu. Ben de bir taş aldım ve suya attım; taş üç kez sekti ve battı.
Öğretmenimiz bugün bize sinir ağlarını anlattı. Bir sinir ağı sayıları alır, onları ağırlıklarla
çarpar, toplar ve bir sonraki katmana verir. Ağ, hata yaptıkça ağırlıklarını biraz değiştirir. Buna
öğrenme denir.
Öğle arasında arkadaşlarımla top oynadık. Ali kaleye geçti, Ayşe ile ben forvet olduk. İlk golü Ayşe
attı, ikinci golü ben attım. Maç bitince hepimiz çeşmeden su içtik.
Akşam yağmur yağmaya başladı. Sokaklar ıslandı, insanlar şemsiyelerini açtı. Kedimiz kapının önünde
oturup yağmuru seyrediyordu. Ben de sıcak bir çorba içip kitabımı okudum.
Kitapta bir dil modelinin nasıl çalıştığı anlatılıyordu. Dil modeli bir metni okur ve bir sonraki
harfi tahmin etmeye çalışır. Doğru tahmin ederse kaybı küçülür, yanlış tahmin ederse kaybı büyür.
Model çok metin gördükçe daha iyi tahmin eder.
Kış gelince dağlara kar yağar. Köydeki evlerin bacalarından duman çıkar. Çocuklar kızakla kayar,
büyükler sobanın başında sohbet eder. Geceleri gökyüzü açıksa yıldızlar çok parlak görünür.
Bahar gelince ağaçlar çiçek açar. Arılar çiçekten çiçeğe uçar, kuşlar yuva yapar. Tarlada çiftçiler
toprağı sürer ve tohum eker. Yağmurdan sonra toprak güzel kokar.
Yazın denize gideriz. Kumda kaleler yaparız, dalgalarla oynarız. Akşamüstü güneş batarken deniz
kırmızıya boyanır. Balıkçılar teknelerini limana bağlar ve ağlarını toplar.
Sonbaharda yapraklar sararır ve düşer. Rüzgâr yaprakları sokakta bir oraya bir buraya savurur.
Okullar açılır, çocuklar yeni defterlerini ve kalemlerini alır. Bu defter de öyle başladı.
Dedem bana satranç öğretti. Piyon ileri gider, at L çizerek zıplar, fil çapraz gider. Şah en değerli
taştır; şah düşerse oyun biter. Dedem her oyundan sonra hatalarımı gösterir ve neden yanlış olduğunu
anlatır.
Bilgisayar hızlı ama sabırlıdır; ona ne söylersen onu yapar. Bir program yazarken önce küçük bir
adım atarım, sonra çalıştırıp denerim. Hata çıkarsa mesajı okurum ve düzeltirim. Her hata bana bir
şey öğretir.
Pazar günü ailece pazara gittik. Tezgâhlarda elma, armut, portakal ve mandalina vardı. Satıcılar
bağırarak mallarını övüyordu. Annem en taze sebzeleri seçti, ben de poşetleri taşıdım. Eve dönünce
hepsini yıkayıp dolaba yerleştirdik.
Kardeşim resim yapmayı çok sever. Bir kâğıda mavi bir deniz, sarı bir güneş ve yeşil bir ağaç çizdi.
Sonra denizin üstüne küçük bir gemi ekledi. Resmini duvara astık; evin en güzel köşesi orası oldu.
Kütüphanede sessizce ders çalıştım. Raflarda tarih, bilim ve şiir kitapları vardı. Bir kitapta eski
bir şehrin hikâyesini okudum. Şehrin sokakları dar, evleri taştan, kapıları ahşaptı. Her evin
avlusunda bir incir ağacı vardı.
Bir makine öğrenmesi modeli veriden öğrenir. Önce verileri toplarız, sonra onları eğitim ve test
diye ikiye ayırırız. Model eğitim verisiyle öğrenir, test verisiyle sınanır. Eğer model eğitim
verisini ezberlerse test verisinde kötü sonuç verir; buna aşırı uyum denir.
Küçük bir model az şey bilir ama hızlı öğrenir. Büyük bir model çok şey öğrenebilir ama çok veri ve
çok hesap ister. Bu defterdeki model küçüktür; birkaç bin harf okur ve birkaç saniyede eğitilir.
Gerçek dil modelleri ise milyarlarca kelime okur.
Trenle İstanbul'dan Ankara'ya gittim. Pencereden tarlalar, köyler ve tepeler geçiyordu. Yanımda
oturan yaşlı bir amca bana gençliğini anlattı. Eskiden bu yolculuğun bir gün sürdüğünü söyledi;
şimdi birkaç saatte varıyoruz.
Bahçemizde bir ceviz ağacı var. Dedem onu çocukken dikmiş. Her yaz gölgesinde oturur, karpuz yeriz.
Sonbaharda cevizleri toplar, kışın ocağın başında kırarız. Ağacın dalına bir salıncak da astık.
Bir gün okulda bilim şenliği yapıldı. Herkes bir deney hazırladı. Ben sirke ile karbonatın
köpürmesini gösterdim. Arkadaşım güneş enerjisiyle çalışan küçük bir araba yaptı. Öğretmenimiz
hepimizi kutladı ve deneylerimizi fotoğrafladı.
Akşam yemeğinde mercimek çorbası, pilav ve salata vardı. Yemekten sonra babam bulaşıkları yıkadı,
ben kuruladım. Sonra balkona çıkıp ayı seyrettik. Ay o gece dolunaydı ve denizin üstünde gümüş bir
yol çiziyordu.
Yeni bir dil öğrenmek sabır ister. Önce harfleri, sonra kelimeleri, en sonda cümleleri öğreniriz.
Her gün biraz okumak ve biraz yazmak gerekir. Hata yapmaktan korkmamalıyız; hatalar öğrenmenin bir
parçasıdır.
"""  # noqa: E501 (the text is data: its line breaks are part of it)


# --8<-- [start:config]
@dataclass(frozen=True)
class Config:
    """Size of the model and of the training run; the defaults are what the
    chapter trains."""

    block_size: int = 64  # context: how many characters the model sees at once
    n_layer: int = 2  # transformer blocks
    n_head: int = 4  # attention heads per block
    n_embd: int = 64  # width of every token vector (d_model)
    dropout: float = (
        0.2  # a small text is easy to memorise; dropout slows that down
    )
    # optimizer steps (more only memorises this small text: see the held-out
    # curve)
    steps: int = 500
    batch_size: int = 32  # sequences per step
    learning_rate: float = 3e-3
    val_fraction: float = 0.1  # the end of the text is held out
    eval_every: int = 50
    seed: int = 0


# --8<-- [end:config]


# --8<-- [start:data]
def build_vocabulary(text: str) -> tuple[dict[str, int], list[str]]:
    """Character-level tokenizer: every distinct character is one token."""
    characters = sorted(set(text))
    return {c: i for i, c in enumerate(characters)}, characters


def encode(text: str, stoi: dict[str, int]) -> torch.Tensor:
    """Text → token ids; an unknown character is an error that names it."""
    unknown = sorted(set(text) - set(stoi))
    if unknown:
        raise ValueError(
            f"characters not in the vocabulary: {unknown!r}; use only "
            "characters of the training text"
        )
    return torch.tensor([stoi[c] for c in text], dtype=torch.long)


def get_batch(
    data: torch.Tensor, config: Config, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows ``x`` ``(B, block_size)`` and the same windows shifted by
    one ``y``: the next tokens."""
    starts = torch.randint(
        len(data) - config.block_size - 1,
        (config.batch_size,),
        generator=generator,
    )
    x = torch.stack([data[s : s + config.block_size] for s in starts])
    y = torch.stack([data[s + 1 : s + 1 + config.block_size] for s in starts])
    return x, y


# --8<-- [end:data]


# --8<-- [start:model]
class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where every position sees only itself and the
    positions before it."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.qkv = nn.Linear(
            config.n_embd, 3 * config.n_embd
        )  # q, k and v in one matrix multiply
        self.proj = nn.Linear(config.n_embd, config.n_embd)
        self.dropout = config.dropout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, steps, width = x.shape
        q, k, v = self.qkv(x).split(width, dim=2)
        q, k, v = (
            t.view(batch, steps, self.n_head, width // self.n_head).transpose(
                1, 2
            )
            for t in (q, k, v)
        )
        y = F.scaled_dot_product_attention(
            q,
            k,
            v,
            is_causal=True,  # (B, heads, T, d_head)
            dropout_p=self.dropout if self.training else 0.0,
        )
        return self.proj(y.transpose(1, 2).reshape(batch, steps, width))


class Block(nn.Module):
    """Pre-norm transformer block: ``x + attention(norm(x))``, then ``x +
    mlp(norm(x))``."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.ln1, self.ln2 = (
            nn.LayerNorm(config.n_embd),
            nn.LayerNorm(config.n_embd),
        )
        self.attention = CausalSelfAttention(config)
        self.mlp = nn.Sequential(
            nn.Linear(config.n_embd, 4 * config.n_embd),
            nn.GELU(),
            nn.Linear(4 * config.n_embd, config.n_embd),
            nn.Dropout(config.dropout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    """Token + position embeddings → blocks → layer norm → one score per
    vocabulary entry."""

    def __init__(self, vocab_size: int, config: Config) -> None:
        super().__init__()
        self.block_size = config.block_size
        self.token_embedding = nn.Embedding(vocab_size, config.n_embd)
        self.position_embedding = nn.Embedding(
            config.block_size, config.n_embd
        )  # learned, as in GPT-2
        self.dropout = nn.Dropout(config.dropout)
        self.blocks = nn.Sequential(
            *(Block(config) for _ in range(config.n_layer))
        )
        self.ln_f = nn.LayerNorm(config.n_embd)
        self.head = nn.Linear(config.n_embd, vocab_size)

    def forward(
        self, ids: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``ids`` ``(B, T)`` → logits ``(B, T, vocab)``, and the cross-entropy
        loss if ``targets`` is given."""
        positions = torch.arange(ids.size(1), device=ids.device)
        x = self.token_embedding(ids) + self.position_embedding(
            positions
        )  # (B, T, n_embd)
        logits = self.head(self.ln_f(self.blocks(self.dropout(x))))
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(
            logits.view(-1, logits.size(-1)), targets.view(-1)
        )


# --8<-- [end:model]


# --8<-- [start:param_formula]
def parameter_count(
    vocab_size: int,
    block_size: int,
    n_layer: int,
    n_embd: int,
    tied_head: bool = False,
) -> int:
    """Parameters of this architecture from its sizes: embeddings, ``n_layer``
    blocks of ``12·C² + 13·C`` (attention ``4·C² + 4·C``, MLP ``8·C² + 5·C``,
    two layer norms ``4·C``), final norm, output layer.

    GPT-2 and GPT-3 reuse the token embedding as the output layer
    (``tied_head=True``: no separate head)."""
    c = n_embd
    head = 0 if tied_head else c * vocab_size + vocab_size
    return (
        vocab_size * c
        + block_size * c
        + n_layer * (12 * c * c + 13 * c)
        + 2 * c
        + head
    )


# --8<-- [end:param_formula]


@dataclass
class History:
    """Losses measured during training, and how long it took."""

    steps: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    seconds: float = 0.0


@torch.no_grad()
def estimate_loss(
    model: TinyGPT,
    data: torch.Tensor,
    config: Config,
    device: torch.device,
    batches: int = 8,
) -> float:
    """Mean loss over a fixed set of windows (same windows every time, so curves
    are comparable)."""
    model.eval()
    generator = torch.Generator().manual_seed(1234)
    losses = []
    for _ in range(batches):
        x, y = get_batch(data, config, generator)
        losses.append(model(x.to(device), y.to(device))[1].item())
    model.train()
    return sum(losses) / len(losses)


# --8<-- [start:train]
def train(
    text: str, config: Config, device: torch.device | str = "cpu", log=print
) -> tuple[TinyGPT, dict[str, int], list[str], History]:
    """Train a fresh model on ``text``; returns the model, the tokenizer tables
    and the loss history."""
    torch.manual_seed(config.seed)
    stoi, itos = build_vocabulary(text)
    data = encode(text, stoi)
    cut = int(len(data) * (1 - config.val_fraction))
    train_data, val_data = data[:cut], data[cut:]
    if len(val_data) <= config.block_size + 1:
        raise ValueError(
            f"the text is too short: hold-out part has {len(val_data)} "
            "characters, "
            f"needs more than block_size + 1 = {config.block_size + 1}"
        )
    model = TinyGPT(len(itos), config).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    batches = torch.Generator().manual_seed(config.seed)
    history = History()
    start = time.perf_counter()
    for step in range(1, config.steps + 1):
        x, y = get_batch(train_data, config, batches)
        _, loss = model(x.to(device), y.to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % config.eval_every == 0 or step == 1:
            history.steps.append(step)
            history.train_loss.append(
                estimate_loss(model, train_data, config, device)
            )
            history.val_loss.append(
                estimate_loss(model, val_data, config, device)
            )
            log(
                f"step {step:4d}: train loss {history.train_loss[-1]:.3f}, "
                f"held-out loss {history.val_loss[-1]:.3f}"
            )
    history.seconds = time.perf_counter() - start
    return model.eval(), stoi, itos, history


# --8<-- [end:train]


# --8<-- [start:generate]
@torch.no_grad()
def generate(
    model: TinyGPT,
    prompt: str,
    stoi: dict[str, int],
    itos: list[str],
    length: int = 200,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
) -> str:
    """Continue ``prompt`` one character at a time, sampling from the model's
    next-token distribution.

    ``temperature`` < 1 sharpens the distribution, > 1 flattens it; ``top_k``
    keeps only the k most likely characters. A fixed ``seed`` gives the same
    text every run on the same device."""
    if temperature <= 0:
        raise ValueError(
            "temperature must be positive; use a small value such as 0.1 for "
            "near-greedy output"
        )
    device = next(model.parameters()).device
    generator = torch.Generator(device=device).manual_seed(seed)
    ids = encode(prompt, stoi).unsqueeze(0).to(device)  # (1, T)
    for _ in range(length):
        logits, _ = model(
            ids[:, -model.block_size :]
        )  # the model can only look back block_size tokens
        logits = logits[:, -1] / temperature  # scores for the next character
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.size(-1))).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        next_id = torch.multinomial(
            logits.softmax(dim=-1), 1, generator=generator
        )
        ids = torch.cat([ids, next_id], dim=1)
    return "".join(itos[i] for i in ids[0].tolist())


# --8<-- [end:generate]


PLOT_LABELS = {
    "tr": {
        "step": "Adım",
        "loss": "Kayıp (karakter başına, nat)",
        "train": "eğitim",
        "val": "ayrılmış metin",
        "uniform": "tekdüze tahmin",
    },
    "en": {
        "step": "Step",
        "loss": "Loss (per character, nats)",
        "train": "train",
        "val": "held-out text",
        "uniform": "uniform guess",
    },
}


def plot_history(history: History, vocab_size: int, lang: str = "en"):
    """Train and held-out loss per evaluation step, with the loss of a uniform
    guess for scale."""
    import math

    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, axis = plt.subplots(figsize=(7, 3.6))
    axis.plot(
        history.steps,
        history.train_loss,
        marker="o",
        markersize=3,
        label=text["train"],
    )
    axis.plot(
        history.steps,
        history.val_loss,
        marker="s",
        markersize=3,
        label=text["val"],
    )
    axis.axhline(
        math.log(vocab_size),
        color="grey",
        linestyle="--",
        label=text["uniform"],
    )
    axis.set(xlabel=text["step"], ylabel=text["loss"])
    axis.legend()
    axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def pick_device(requested: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without CUDA is an
    error that says what to do."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "CUDA was requested but torch.cuda.is_available() is False; use "
            "--device cpu"
        )
    return torch.device(requested)


def main(argv: list[str] | None = None) -> int:
    """Train on the built-in text (or ``--text``), then print samples."""
    parser = argparse.ArgumentParser(
        description="Train a tiny character-level GPT and sample from it."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda"]
    )
    parser.add_argument("--steps", type=int, default=Config.steps)
    parser.add_argument(
        "--text",
        type=Path,
        help="UTF-8 text file to train on (default: the built-in text)",
    )
    parser.add_argument("--prompt", default="Bu ")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--top-k", type=int, default=None)
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if args.temperature <= 0:
        parser.error("--temperature must be positive")
    if args.text and not args.text.is_file():
        parser.error(f"--text {args.text}: no such file")
    try:
        device = pick_device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    text = args.text.read_text(encoding="utf-8") if args.text else CORPUS
    config = Config(steps=args.steps)
    try:
        model, stoi, itos, history = train(text, config, device)
    except ValueError as error:
        parser.error(str(error))
    print(
        f"{sum(p.numel() for p in model.parameters()):,} parameters, "
        f"{len(itos)} characters, "
        f"{history.seconds:.1f} s on {device}"
    )
    try:
        print(
            generate(
                model,
                args.prompt,
                stoi,
                itos,
                temperature=args.temperature,
                top_k=args.top_k,
            )
        )
    except ValueError as error:
        parser.error(f"--prompt: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
