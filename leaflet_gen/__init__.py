"""leaflet-gen: branded, print-ready Dutch patient leaflets from reviewed YAML content.

Data flows one way: load -> validate -> compose -> render -> post-process -> preflight -> write.
"""

__version__ = "0.1.0"

# Who a leaflet is written for (the schema's Literal is built from this). Kept here, outside the
# pydantic models, so the CLI can offer the choice without importing the schemas.
AUDIENCES = ("fysiotherapie", "orthopedie")
