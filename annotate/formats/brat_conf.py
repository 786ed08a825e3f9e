"""The three configuration files that make an exported folder a brat project as is.

``annotation.conf``: entity types (our entity labels and the DATE/QUANTITY values), event types
with their roles from the project's lexicon (``participants*:<ENTITY>``: any entity or value, any
number of times), no relation or attribute types (glossator has none), and one ``<OVERLAP>`` rule,
since our layers may overlap each other (a DATE inside a trigger's sentence span, a trigger over
an entity). ``visual.conf``: labels and the project's colours. ``tools.conf``: whitespace tokens,
sentences at line breaks, validation on, and the normalisation DB our ``N`` lines name.
Imports no format.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotate.labels import VALUE_LABELS, EventRoles, hex_color

DB = "glossator"  # the normalisation database name of our kb ids in N lines
ANNOTATION_CONF, VISUAL_CONF, TOOLS_CONF = "annotation.conf", "visual.conf", "tools.conf"


def annotation_conf(entity_labels: tuple[str, ...], event_roles: EventRoles) -> str:
    """brat's ``annotation.conf`` for our labels and event roles."""
    events = [f"{label}\t" + ", ".join(f"{role}*:<ENTITY>" for role in roles) if roles else label
              for label, roles in event_roles.items()]
    return "\n".join(["[entities]", *entity_labels, *VALUE_LABELS, "",
                      "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVERL-TYPE>:<ANY>", "",
                      "[events]", *events, "",
                      "[attributes]", ""])


def visual_conf(entity_labels: tuple[str, ...], event_roles: EventRoles, colors: Mapping[str, str]) -> str:
    """brat's ``visual.conf``: each label shown by its name, in the project's colour."""
    labels = [*entity_labels, *VALUE_LABELS, *event_roles]
    roles = sorted({role for roles in event_roles.values() for role in roles})
    drawing = []
    for label in labels:
        color = hex_color(colors[label]) if label in colors else None
        if color:
            drawing.append(f"{label}\tbgColor:{color}")
    return "\n".join(["[labels]", *(f"{label} | {label}" for label in [*labels, *roles]), "",
                      "[drawing]", "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
                      "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", *drawing, ""])


def tools_conf() -> str:
    """brat's ``tools.conf``: whitespace tokens, a sentence per line, validation, our kb ids."""
    return "\n".join(["[options]", "Tokens\ttokenizer:whitespace", "Sentences\tsplitter:newline",
                      "Validation\tvalidate:all", "Annotation-display\tinterface:normal", "",
                      "[normalization]",
                      # brat wants a URL per DB; ours has no web page, the manifest stands in.
                      f"{DB}\tDB:{DB}, <URL>:glossator-export.json, <URLBASE>:glossator-export.json#%s",
                      ""])
