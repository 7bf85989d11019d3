"""SPARQL: the embedded Oxigraph store (:mod:`graph.sparql.store`), the guarded endpoint and its server
(:mod:`graph.sparql.endpoint`, :mod:`graph.sparql.serve`), pushing to other stores (:mod:`graph.sparql.push`)
and the facts about one entity (:mod:`graph.sparql.explain`)."""
