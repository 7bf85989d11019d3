"""Build: claims to RDF (:mod:`graph.build.dataset`, held as :mod:`graph.build.quads`), researchers' curation
(:mod:`graph.build.curation`, :mod:`graph.build.review`) and SHACL validation (:mod:`graph.build.validate`)."""
