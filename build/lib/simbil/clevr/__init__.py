"""CLEVR-like scenes rendered without Blender: properties, camera, sampler, renderer, pairs."""
