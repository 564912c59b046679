"""The CLEVR vocabulary and scene constants, as in the official generator.

Values follow facebookresearch/clevr-dataset-gen (`data/properties.json`, `render_images.py`,
`data/base_scene.blend`).
"""

SHAPES = ("cube", "sphere", "cylinder")
MATERIALS = ("rubber", "metal")
SIZES = {"large": 0.7, "small": 0.35}
COLORS = {
    "gray": (87, 87, 87),
    "red": (173, 35, 35),
    "blue": (42, 75, 215),
    "green": (29, 105, 20),
    "brown": (129, 74, 25),
    "purple": (129, 38, 192),
    "cyan": (41, 208, 208),
    "yellow": (255, 238, 51),
}
# SIMSG's names for CLEVR's four direction relations, keyed by CLEVR's own names.
PREDICATES = {"left": "left of", "right": "right of", "behind": "behind", "front": "front of"}

CAMERA_LOCATION = (7.48, -6.51, 5.34)
# 35 mm lens on a 32 mm sensor: horizontal field of view 2·atan(16/35).
CAMERA_HFOV_DEG = 49.134
# name: (position, power, radius of the area light, sharpness of its beam). Radius: the disc
# of Blender's square lamp's area; power and beam: fitted to Blender's floor under each lamp alone
# (benchmarks.shadow_blender --fit-lights), then the lamps scaled against the sky
# (--tune, on the tuning scenes).
LIGHTS = {
    "key": ((6.44, -2.91, 4.31), 0.788, 0.28, 1.25),
    "fill": ((-4.67, -4.01, 3.01), 0.176, 0.28, 0.5),
    "back": ((-1.19, 2.65, 5.78), 0.361, 0.56, 0.5),
}
# base_scene.blend's sun lamp: the way its light travels, and its angular diameter (radians)
SUN = ((-0.4145, 0.1946, -0.8890), 0.199)
CAMERA_JITTER = 0.5
LIGHT_JITTER = 1.0

# Placement rules of render_images.py.
PLACEMENT_RANGE = 3.0
MIN_DIST = 0.25
MARGIN = 0.4
MIN_PIXELS_PER_OBJECT = 200  # at 320×240; scaled with the image area
ASPECT = (0.5, 4.0)  # width / height of a frame: past these the camera sees too little floor for a scene
MAX_RETRIES = 50
RELATION_EPS = 0.2  # compute_all_relationships' eps
MOVE_DISTANCE = 4.0  # SIMSG's relationship pairs move an object at least this far


def half_extent(shape: str, size: str) -> float:
    """The object's scale in world units: render_images.py shrinks cubes by √2 so that a
    cube's footprint circle matches a sphere's of the same size."""
    r = SIZES[size]
    return r / 2**0.5 if shape == "cube" else r


VOCABULARY = {
    "name": SHAPES,
    "color": tuple(COLORS),
    "material": MATERIALS,
    "size": tuple(SIZES),
    "predicate": tuple(PREDICATES.values()),
}
