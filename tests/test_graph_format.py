import pytest

from simbil.graphs import GraphError, load_graph, read_json, save_graph, validate_graph
from simbil.graphs.format import graph_problems, next_object_id


def test_valid_graph_round_trips(tmp_path, graph):
    save_graph(tmp_path / "g.json", graph)
    assert load_graph(tmp_path / "g.json") == graph


@pytest.mark.parametrize("mutate, field", [
    (lambda g: g["objects"][0].update(bbox=[30, 10, 10, 30]), "objects[0].bbox"),
    (lambda g: g["objects"][0].update(bbox=[10, 10, 130, 30]), "objects[0].bbox"),
    (lambda g: g["objects"][1].update(id="o0"), "objects[1].id"),
    (lambda g: g["objects"][1].update(id="../x"), "objects[1].id"),
    (lambda g: g["objects"][2].update(name=""), "objects[2].name"),
    (lambda g: g["relationships"][0].update(object="o9"), "relationships[0].object"),
    (lambda g: g.update(width=0), "width"),
    (lambda g: g["objects"][0].update(attributes={"color": 3}), "objects[0].attributes"),
])
def test_bad_graphs_name_the_field(graph, mutate, field):
    mutate(graph)
    with pytest.raises(GraphError) as e:
        validate_graph(graph, "g.json")
    assert e.value.field == field and "g.json" in str(e.value)


def test_all_problems_are_listed(graph):
    graph["objects"][0]["bbox"] = [1, 2]
    graph["relationships"][0]["subject"] = "nope"
    fields = [f for f, _ in graph_problems(graph)]
    assert fields == ["objects[0].bbox", "relationships[0].subject"]


def test_read_json_errors_name_file_and_cause(tmp_path):
    p = tmp_path / "bad.json"
    p.write_bytes(b'{"objects": [1, 2')
    with pytest.raises(GraphError, match=r"bad.json: truncated JSON"):
        read_json(p)
    p.write_bytes(b'{"a": "\xff\xfe"}')
    with pytest.raises(GraphError, match=r"not UTF-8"):
        read_json(p)
    p.write_text('{"a": }')
    with pytest.raises(GraphError, match=r"invalid JSON at line 1"):
        read_json(p)
    with pytest.raises(GraphError, match="cannot read"):
        read_json(tmp_path / "missing.json")


def test_next_object_id_skips_used(graph):
    assert next_object_id(graph) == "o3"
    graph["objects"].append({"id": "o7", "name": "cube", "attributes": {}, "bbox": None, "mask": None})
    assert next_object_id(graph) == "o8"


def test_graph_commands_write_paths_that_resolve_from_the_output_and_read_clevr_scenes(tmp_path):
    """`simbil graph -o` and `simbil graph-edit -o` into another folder keep the image and masks
    found (paths inside a graph file are relative to it); graph-edit reads a CLEVR scene as
    `simbil graph` does, and an edit file need not carry an id or image."""
    import json
    from pathlib import Path

    from simbil.cli import main
    from simbil.pipeline import stages

    pair = stages.render_pair(str(tmp_path / "pairs"), "removal", 0, 0, 96, 72)
    out = tmp_path / "elsewhere" / "deeper"
    assert main(["graph", str(pair / "source.json"), "-o", str(out / "g.json")]) == 0
    g = load_graph(out / "g.json")
    assert (out / g["image"]).resolve() == (pair / "source.png").resolve()
    assert all((out / o["mask"]).is_file() for o in g["objects"])
    target = g["objects"][0]["id"]
    (tmp_path / "edit.json").write_text(json.dumps({"op": "remove", "target": target}))
    assert main(["graph-edit", str(pair / "source.json"), str(tmp_path / "edit.json"), "--clevr",
                 "-o", str(out / "g2.json")]) == 0
    g2 = load_graph(out / "g2.json")
    assert target not in [o["id"] for o in g2["objects"]]
    assert all((out / o["mask"]).is_file() for o in g2["objects"]) and Path(out / g2["image"]).is_file()
