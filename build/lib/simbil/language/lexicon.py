"""The words an edit may be said in: verbs per op, synonyms, predicate phrases, and the image's
own vocabulary (its object names, attribute words and predicates), so a sentence is read against
what the image can mean."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clevr.properties import COLORS, MATERIALS, SHAPES, SIZES
from ..graphs.readers import COLOR_WORDS, MATERIAL_WORDS, SIZE_WORDS

ARTICLES = {"the", "a", "an", "one"}
DEFINITE = {"the"}
QUANTIFIERS = {"all", "every", "each", "both", "some", "any", "several", "two", "three", "many"}
NOUNS = {"ball": "sphere", "balls": "spheres", "block": "cube", "box": "cube", "cuboid": "cube",
         "can": "cylinder", "tube": "cylinder"}
ADJECTIVES = {"big": "large", "huge": "large", "tiny": "small", "little": "small", "grey": "gray",
              "metallic": "metal", "shiny": "metal", "matte": "rubber"}
# the four spatial predicates as people say them, longest phrases first when matched
SPATIAL = {("to", "the", "left", "of"): "left of", ("on", "the", "left", "of"): "left of", ("left", "of"): "left of",
           ("to", "the", "right", "of"): "right of", ("on", "the", "right", "of"): "right of",
           ("right", "of"): "right of", ("behind",): "behind", ("in", "back", "of"): "behind",
           ("in", "front", "of"): "front of", ("front", "of"): "front of"}
KEYS = {"color": set(COLORS) | COLOR_WORDS, "material": set(MATERIALS) | MATERIAL_WORDS,
        "size": set(SIZES) | SIZE_WORDS}


def tokens(text: str) -> list[str]:
    """Lower-case words; punctuation other than hyphens and apostrophes is a break."""
    return re.findall(r"[a-z0-9][a-z0-9'-]*", text.lower())


@dataclass
class Vocabulary:
    """What words mean in one image: nouns (object names), attribute words by key, predicates."""
    nouns: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)  # word -> key (color, material, size)
    predicates: dict[tuple[str, ...], str] = field(default_factory=dict)  # phrase -> graph predicate

    @classmethod
    def of(cls, graph: dict, clevr: bool) -> "Vocabulary":
        v = cls(nouns={o["name"] for o in graph["objects"]} | (set(SHAPES) if clevr else set()))
        for key, words in KEYS.items():
            v.attributes.update({w: key for w in words})
        for o in graph["objects"]:
            for key, value in (o.get("attributes") or {}).items():
                for w in (value if isinstance(value, list) else [value]):
                    v.attributes.setdefault(w, key)
        v.predicates = dict(SPATIAL) if clevr or not graph["relationships"] else {}
        for r in graph["relationships"]:
            v.predicates.setdefault(tuple(tokens(r["predicate"])), r["predicate"])
        for phrase, pred in SPATIAL.items():  # people's wording of the graph's own spatial predicates
            if pred in v.predicates.values():
                v.predicates.setdefault(phrase, pred)
        return v

    def noun(self, word: str) -> str | None:
        """The object name a word means: the image's own first ("box" on a photo), then synonyms."""
        if word in self.nouns:
            return word
        word = NOUNS.get(word, word)
        return word if word in self.nouns else None

    def plural(self, word: str) -> str | None:
        """The noun a plural names ("cubes", "balls", "boxes"), or None."""
        word = NOUNS.get(word, word)
        for cut in ("es", "s"):
            stem = word[: -len(cut)] if word.endswith(cut) else None
            if stem and self.noun(stem):
                return self.noun(stem)
        return None

    def attribute(self, word: str) -> tuple[str, str] | None:
        """(key, value) of an adjective, or None."""
        word = ADJECTIVES.get(word, word)
        return (self.attributes[word], word) if word in self.attributes else None

    def predicate_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """The predicate phrase starting at words[i] (the longest), and where it ends."""
        best = None
        for phrase, pred in self.predicates.items():
            if tuple(words[i:i + len(phrase)]) == phrase and (best is None or len(phrase) > best[1] - i):
                best = (pred, i + len(phrase))
        return best
