"""The words an edit may be said in: verbs per op, synonyms, predicate phrases, and the image's
own vocabulary (its object names, attribute words and predicates), so a sentence is read against
what the image can mean."""

from __future__ import annotations

import functools
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
    """Lower-case words, accented letters included; punctuation other than hyphens and apostrophes
    is a break."""
    return re.findall(r"[^\W_](?:[^\W_]|['-])*", text.lower())


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
                    v.attributes.setdefault(w.lower(), key)
        v.predicates = {tuple(tokens(r["predicate"])): r["predicate"] for r in reversed(graph["relationships"])}
        # the four spatial predicates always, after the graph's own wording of them: SIMBIL places a
        # moved or added object by them, whatever relations the graph states (a photo's may be 'on' only)
        for phrase, pred in SPATIAL.items():
            v.predicates.setdefault(phrase, pred)
        return v

    @functools.cached_property
    def phrases(self) -> dict[tuple[str, ...], str]:
        """Each object name as the words a sentence says it in ("tennis racket", "Ball" as "ball")."""
        return {tuple(tokens(n)): n for n in sorted(self.nouns) if tokens(n)}

    @functools.cached_property
    def _by_first(self) -> dict[str, list[tuple[str, ...]]]:
        """The phrases by their first word, longest first: a sentence is read in one pass over it."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for p in sorted(self.phrases, key=len, reverse=True):
            out.setdefault(p[0], []).append(p)
        return out

    def noun_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """The object name said at words[i] (the image's own, longest first: "box" on a photo is
        its box; then a synonym) and where it ends, or None."""
        if i >= len(words):
            return None
        for p in self._by_first.get(words[i], []):
            if tuple(words[i:i + len(p)]) == p:
                return self.phrases[p], i + len(p)
        synonym = NOUNS.get(words[i])
        return (self.phrases[(synonym,)], i + 1) if (synonym,) in self.phrases else None

    def plural_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """The object name a plural at words[i] says ("cubes", "balls", "boxes", "tennis rackets") and
        where it ends, or None."""
        if i >= len(words):
            return None
        for phrase, name in self.phrases.items():
            n = len(phrase)
            if i + n > len(words) or (n > 1 and phrase[0] != words[i]) or tuple(words[i:i + n - 1]) != phrase[:-1]:
                continue
            last = NOUNS.get(words[i + n - 1], words[i + n - 1])
            stems = [last[:-len(cut)] for cut in ("es", "s") if last.endswith(cut)]
            if any(NOUNS.get(s, s) == phrase[-1] or s == phrase[-1] for s in stems):
                return name, i + n
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
