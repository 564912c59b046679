"""Scene graphs: the one format, readers for CLEVR and Visual Genome, and edits."""

from .edits import EditError, apply_edit, edit_problems, left_to_place
from .format import GraphError, load_graph, read_json, relocate, save_graph, validate_graph, write_json
from .readers import from_clevr_scene, from_visual_genome, read_graph, relations_from_boxes

__all__ = [
    "EditError", "GraphError", "apply_edit", "edit_problems", "from_clevr_scene",
    "from_visual_genome", "load_graph", "read_graph", "read_json", "relations_from_boxes", "relocate",
    "save_graph", "validate_graph", "write_json",
]
