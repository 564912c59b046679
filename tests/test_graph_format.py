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
