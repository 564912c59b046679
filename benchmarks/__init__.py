"""SIMBIL's benchmarks, run from the repository root as `python -m benchmarks.<name> ARGS`.

inpaint        every inpainter on three hole sets (holes.py)
semantic       every edit mode of the CLEVR-like benchmark through the pipeline's stages
shadow         shadow-aware removal masks
segment        box-prompted segmentation
inpaint_speed  inpainting time and memory (each case in its own process)
render_speed   renderer time and memory (each size in its own process)
renderer_sheet docs/renderer.png

runner.py turns `--methods` entries into simbil.edits.methods.MethodSpec objects, from the
config's `methods:` table (config.yaml, then benchmarks/methods.yaml) or a registered inpainter.
This file imports nothing: child processes that measure memory start from a bare interpreter.
"""
