"""Outputs of the chapter "torchvision at a glance" (docs/*/vision/index.md)."""

from __future__ import annotations

from snippets.vision import exercises, tour
from tools.generate import Outputs

MODULES = [  # (module, Turkish purpose, English purpose, key of the count in tour.catalogue())
    ("torchvision.datasets",
     "Hazır veri kümeleri (MNIST, CIFAR-10, ImageNet…) ve kendi klasörünüzden okuma (ImageFolder)",
     "Ready-made datasets (MNIST, CIFAR-10, ImageNet…) and reading your own folders (ImageFolder)", "datasets"),
    ("torchvision.models",
     "Görüntü modelleri; `get_model(ad, weights=…)` ile adıyla kurulur, ağırlıklar isteğe bağlıdır",
     "Vision models, built by name with `get_model(name, weights=…)`; weights are optional", "models"),
    ("torchvision.transforms.v2", "Görüntüyü tensöre çevirme, boyutlandırma, normalleştirme, veri artırma",
     "Turning images into tensors, resizing, normalising, augmentation", None),
    ("torch.utils.data.Dataset", "`__len__` ve `__getitem__` tanımlayan her veri kümesinin temel sınıfı",
     "The base class of every dataset: defines `__len__` and `__getitem__`", None),
    ("torch.utils.data.DataLoader", "Bir Dataset'i küçük yığınlara bölen, karıştıran ve paralel okuyan yineleyici",
     "The iterable that batches, shuffles and loads a Dataset in parallel", None),
]


def generate(out: Outputs) -> None:
    """The module table with counts read off this torchvision, what each demonstration prints, and the
    exercises' answers."""
    counts = tour.catalogue()
    out.table("tour.modules",
              {"tr": ["Modül", "Ne işe yarar", "Bu sürümde"], "en": ["Module", "What it is for", "In this version"]},
              [[f"`{module}`", {"tr": tr_text, "en": en_text}, counts[key] if key else "—"]
               for module, tr_text, en_text, key in MODULES])
    out.json("tour.catalogue", counts)
    out.capture("tour.transforms", tour.show_transforms)
    model = tour.show_model("resnet18")
    model["output_shape"] = list(model["output_shape"])
    out.json("tour.model", model)
    out.capture("tour.dataloader", tour.show_dataloader)
    out.json("exercises.detection", {"models": exercises.detection_models()})
    out.json("exercises.resize", {"shape": exercises.upscaled_batch()})
    out.json("exercises.drop_last", exercises.batch_counts())
