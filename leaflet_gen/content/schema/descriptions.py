"""Each schema field's docstring as its description, for the JSON Schema, docs/ and the studio."""

from __future__ import annotations

import functools

from leaflet_gen.content.schema import catalogue, claims, common, practice, section, settings, topic, variant

# The schema modules in the order their models must be rebuilt: a nested model before its user.
MODULES = (common, practice, settings, section, topic, claims, variant, catalogue)


@functools.cache
def documented() -> None:
    """Give each field its docstring as its description, for the JSON Schema, docs/ and the
    studio's help texts. Called by what shows them; validation never needs them.

    Not at import with pydantic's ``use_attribute_docstrings``: that reads each module's source
    as each class is made, ~45 ms of the start of every command (a build, ``check``), on the
    path to the first leaflet. Same rule as pydantic's: the string right after a field's
    annotated line, cleaned like a docstring; a description given with ``Field`` wins.
    """
    import ast
    import inspect

    docs: dict[str, dict[str, str]] = {}
    models: list[type[common.Schema]] = []
    for module in MODULES:
        own: dict[str, dict[str, str]] = {}
        for node in ast.parse(inspect.getsource(module)).body:
            if isinstance(node, ast.ClassDef):
                own[node.name] = {
                    stmt.target.id: inspect.cleandoc(after.value.value)
                    for stmt, after in zip(node.body, node.body[1:])
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)}
        docs.update(own)
        models += [value for name, value in vars(module).items()
                   if isinstance(value, type) and issubclass(value, common.Schema) and name in own]
    for model in models:  # in the order they were defined: a nested model before its user
        for name, info in model.model_fields.items():
            if info.description is None:
                info.description = next((docs[base.__name__][name] for base in model.__mro__
                                         if name in docs.get(base.__name__, {})), None)
        model.model_rebuild(force=True)
