from catalyse.search.tests.conftest import backend, reindex  # noqa: F401  (fixtures: each search engine)
