import pytest

from simbil.clevr.properties import VOCABULARY
from simbil.graphs import EditError, apply_edit, edit_problems


def E(**kw):
    return {"id": "e1", "image": "clevr/val/000001", **kw}


def rels_of(g, oid):
    return {(r["predicate"], r["object"]) for r in g["relationships"] if r["subject"] == oid}


def test_remove_drops_object_and_its_relations(graph):
    new, change = apply_edit(graph, E(op="remove", target="o1"))
    assert [o["id"] for o in new["objects"]] == ["o0", "o2"]
    assert all("o1" not in (r["subject"], r["object"]) for r in new["relationships"])
    assert change["old_bbox"] == [50, 20, 60, 30] and change["new_bbox"] is None and change["target"] == "o1"
    assert len(graph["objects"]) == 3  # the input graph is untouched


def test_replace_keeps_place_and_unchanged_attributes(graph):
    new, change = apply_edit(graph, E(op="replace", target="o0", new={"name": "sphere", "attributes": {"color": "cyan"}}),
                             VOCABULARY)
    o = new["objects"][0]
    assert o["name"] == "sphere" and o["attributes"] == {"color": "cyan", "material": "metal", "size": "large"}
    assert change["new_bbox"] == change["old_bbox"] == [10, 10, 30, 30]
    assert change["before"]["name"] == "cube" and change["after"]["name"] == "sphere"


def test_relation_replaces_target_relations_and_forgets_box(graph):
    new, change = apply_edit(graph, E(op="relation", target="o0", relations=[{"predicate": "right of", "object": "o2"}]))
    assert rels_of(new, "o0") == {("right of", "o2")}
    assert all(r["object"] != "o0" for r in new["relationships"])
    assert new["objects"][0]["bbox"] is None and change["new_bbox"] is None and change["old_bbox"] == [10, 10, 30, 30]


def test_add_gets_a_fresh_id_and_relations(graph):
    new, change = apply_edit(graph, E(op="add", new={"name": "cube", "attributes": {"color": "green", "size": "small"}},
                                      relations=[{"predicate": "behind", "object": "o1"}]), VOCABULARY)
    assert change["target"] == "o3" and new["objects"][-1]["id"] == "o3"
    assert rels_of(new, "o3") == {("behind", "o1")}
    assert change["old_bbox"] is None and change["new_bbox"] is None


def test_attribute_changes_in_place(graph):
    new, change = apply_edit(graph, E(op="attribute", target="o1", attributes={"material": "metal"}), VOCABULARY)
    assert new["objects"][1]["attributes"]["material"] == "metal"
    assert change["new_bbox"] == [50, 20, 60, 30]


@pytest.mark.parametrize("edit, field, words", [
    (E(op="explode", target="o1"), "op", "unknown op 'explode'"),
    (E(op="remove"), "target", "required"),
    (E(op="remove", target="o9"), "target", "no object 'o9'"),
    (E(op="add", new={"name": "cube"}), "relations", "required"),
    (E(op="add", new={"name": "cube"}, relations=[]), "relations", "required"),
    (E(op="relation", target="o0", relations=[{"predicate": "left of", "object": "o7"}]), "relations[0].object", "no object 'o7'"),
    (E(op="relation", target="o0", relations=[{"predicate": "left of", "object": "o0"}]), "relations[0].object", "itself"),
    (E(op="relation", target="o0", relations=[{"predicate": "under", "object": "o1"}]), "relations[0].predicate", "unknown predicate"),
    (E(op="replace", target="o0", new={"name": "pyramid"}), "new.name", "unknown object name 'pyramid'"),
    (E(op="replace", target="o0", new={"name": "sphere", "attributes": {"color": "pink"}}), "new.attributes.color", "unknown color 'pink'"),
    (E(op="replace", target="o0", new={"name": "cube"}), "new", "nothing changes"),
    (E(op="attribute", target="o0", attributes={"shine": "high"}), "attributes.shine", "unknown attribute"),
    (E(op="attribute", target="o0", attributes={"color": "red"}), "attributes", "nothing changes"),
    (E(op="remove", target="o0", relations=[]), "relations", "not a field of op 'remove'"),
    ({"id": "a/../b", "image": "x", "op": "remove", "target": "o0"}, "id", "letters, digits"),
    ({"id": "ok", "image": "../etc/passwd", "op": "remove", "target": "o0"}, "image", "relative image name"),
])
def test_bad_edits_name_the_edit_and_field(graph, edit, field, words):
    with pytest.raises(EditError) as e:
        apply_edit(graph, edit, VOCABULARY)
    assert field in [f for f, _ in e.value.problems]
    assert words in str(e.value) and f"edit {edit['id']!r}" in str(e.value)


def test_every_problem_is_reported_at_once(graph):
    problems = edit_problems(E(op="relation", target="o0", relations=[
        {"predicate": "under", "object": "o1"}, {"predicate": "left of", "object": "o8"}]), graph, VOCABULARY)
    assert [f for f, _ in problems] == ["relations[0].predicate", "relations[1].object"]


def test_without_vocabulary_any_name_goes(graph):
    new, _ = apply_edit(graph, E(op="replace", target="o0", new={"name": "teapot"}))
    assert new["objects"][0]["name"] == "teapot"
