"""The pixels of semantic edits: an object bank harvested from the dataset's own scenes, and
the compositing of each op (remove, relation, replace, add, attribute) with an inpainter."""
