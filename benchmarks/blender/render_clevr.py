"""Render SIMBIL scene JSONs with Blender Cycles and the official CLEVR assets (run by bpy's Python).

    python render_clevr.py CLEVR_DATA SCENES_JSON OUT_DIR [SAMPLES]
    python render_clevr.py CLEVR_DATA lamps OUT_DIR [SAMPLES]
    python render_clevr.py CLEVR_DATA SCENES_JSON OUT_DIR SAMPLES images   # NAME.png only

CLEVR_DATA is image_generation/data of facebookresearch/clevr-dataset-gen (base_scene.blend,
shapes/, materials/, properties.json); SCENES_JSON maps a name to a SIMBIL scene (camera, lights,
objects as the sampler writes them). Each scene is set up as render_images.py sets up its own
(base scene, jittered camera and lamp positions, the shape .blend scaled, turned and stood on the
floor, the material node group given the colour), and rendered three times:

- NAME.png: the image, 8-bit, as CLEVR saves it;
- NAME_floor.png: the same with the objects invisible to the camera only, so the floor carries
  their shadows and bounced light (16-bit);
- NAME_empty.png: the floor with no objects (16-bit).

With `lamps` for SCENES_JSON: the base scene's empty floor lit by each lamp alone, unjittered
(LAMP.png, 16-bit, LAMP in Area (the sun), Lamp_Key, Lamp_Fill, Lamp_Back).

Written for Blender 4.2 (`pip install bpy==4.2.0`); CLEVR's own script needs Blender 2.78.
"""

import json
import math
import os
import sys
import time

import bpy


def load(path, kind, name):
    with bpy.data.libraries.load(path) as (src, dst):
        setattr(dst, kind, [name])
    return getattr(dst, kind)[0]


def material(groups, name, rgb):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes = mat.node_tree.nodes
    out = next(n for n in nodes if n.type == "OUTPUT_MATERIAL")
    group = nodes.new("ShaderNodeGroup")
    group.node_tree = groups[name]
    group.inputs["Color"].default_value = [c / 255 for c in rgb] + [1.0]
    mat.node_tree.links.new(group.outputs["Shader"], out.inputs["Surface"])
    return mat


def scale_of(shape, size, sizes):
    r = sizes[size]
    return r / math.sqrt(2) if shape == "cube" else r  # render_images.py shrinks cubes so


def setup(data, scene, samples):
    bpy.ops.wm.open_mainfile(filepath=os.path.join(data, "base_scene.blend"))
    props = json.load(open(os.path.join(data, "properties.json")))
    sc = bpy.context.scene
    sc.render.engine = "CYCLES"
    sc.render.resolution_x, sc.render.resolution_y, sc.render.resolution_percentage = 320, 240, 100
    sc.cycles.device = "CPU"
    sc.cycles.samples = samples
    sc.cycles.use_adaptive_sampling = False
    sc.cycles.use_denoising = False
    sc.cycles.blur_glossy = 2.0
    sc.cycles.transparent_min_bounces = sc.cycles.transparent_max_bounces = 8
    if scene is None:  # the base scene as it is
        return sc, []
    sc.cycles.seed = int(scene.get("render_seed", 0)) % 2**31
    bpy.data.objects["Camera"].location = scene["camera"]["location"]
    for ours, theirs in (("key", "Lamp_Key"), ("fill", "Lamp_Fill"), ("back", "Lamp_Back")):
        bpy.data.objects[theirs].location = scene["lights"][ours]["location"]
    groups = {}
    for name in props["materials"].values():
        groups[name] = load(os.path.join(data, "materials", name + ".blend"), "node_groups", name)
    objects = []
    for i, o in enumerate(scene["objects"]):
        kind = props["shapes"][o["shape"]]
        ob = load(os.path.join(data, "shapes", kind + ".blend"), "objects", kind)
        ob.name = f"{kind}_{i}"
        sc.collection.objects.link(ob)
        s = scale_of(o["shape"], o["size"], props["sizes"])
        ob.scale = (s, s, s)
        ob.rotation_euler[2] = math.radians(o.get("rotation", 0.0))
        x, y = o["3d_coords"][:2]
        ob.location = (x, y, s)
        ob.data = ob.data.copy()
        ob.data.materials.clear()
        ob.data.materials.append(material(groups, props["materials"][o["material"]], props["colors"][o["color"]]))
        objects.append(ob)
    return sc, objects


def render(sc, path, depth):
    sc.render.image_settings.file_format = "PNG"
    sc.render.image_settings.color_mode = "RGB"
    sc.render.image_settings.color_depth = depth
    sc.render.filepath = path
    bpy.ops.render.render(write_still=True)


LAMPS = ("Area", "Lamp_Key", "Lamp_Fill", "Lamp_Back")


def lamps(data, out, samples):
    os.makedirs(out, exist_ok=True)
    for keep in LAMPS:
        sc, _ = setup(data, None, samples)
        for name in LAMPS:
            bpy.data.objects[name].hide_render = name != keep
        render(sc, os.path.join(out, keep + ".png"), "16")


def main(data, scenes_json, out, samples=512, only_images=False):
    if scenes_json == "lamps":
        return lamps(data, out, samples)
    scenes = json.load(open(scenes_json))
    os.makedirs(out, exist_ok=True)
    for name, scene in scenes.items():
        if os.path.exists(os.path.join(out, name + ("_empty.png", ".png")[only_images])):
            continue
        t = time.time()
        sc, objects = setup(data, scene, samples)
        render(sc, os.path.join(out, name + ".png"), "8")
        if only_images:
            continue
        for ob in objects:
            ob.visible_camera = False
        render(sc, os.path.join(out, name + "_floor.png"), "16")
        for ob in objects:
            ob.hide_render = True
        render(sc, os.path.join(out, name + "_empty.png"), "16")
        print(f"rendered {name} in {time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    main(args[0], args[1], args[2], *(int(a) for a in args[3:4]), *(a == "images" for a in args[4:5]))
