"""A log entry's text: packed inserts stand for one plain op per row, in row order."""

import json

from store.oplog import dumps_ops, loads_ops, packed

COLS = ["id", "article_id", "start", "end", "label", "kb_id"]


def test_a_packed_element_unpacks_to_one_insert_op_per_row_with_every_column_in_order():
    delete = {"table": "spans", "pk": 3, "before": {"id": 3, "label": "LOC"}, "after": None}
    encoded = '{"table": "x", "pk": 1, "before": null, "after": {}}'  # an op already as text
    text = dumps_ops([delete, packed("spans", COLS, {"article_id": "a[/]", "kb_id": None},
                                     [[7, 0, 4, "LOC"], [8, 5, 9, "PER"]]), encoded])
    assert text == json.dumps(json.loads(text), ensure_ascii=False)
    assert loads_ops(text) == [
        delete,
        {"table": "spans", "pk": 7, "before": None,
         "after": {"id": 7, "article_id": "a[/]", "start": 0, "end": 4, "label": "LOC", "kb_id": None}},
        {"table": "spans", "pk": 8, "before": None,
         "after": {"id": 8, "article_id": "a[/]", "start": 5, "end": 9, "label": "PER", "kb_id": None}},
        {"table": "x", "pk": 1, "before": None, "after": {}},
    ]
    assert [list(op["after"]) for op in loads_ops(text)[1:3]] == [COLS, COLS]


def test_plain_and_empty_texts_read_as_before():
    ops = [{"table": "spans", "pk": 1, "before": None, "after": {"id": 1, "text": "é\u2028"}}]
    assert loads_ops(json.dumps(ops, ensure_ascii=False)) == ops
    assert loads_ops(None) == loads_ops("") == loads_ops("[]") == []
