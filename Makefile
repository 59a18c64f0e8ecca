# The two commands for a fresh machine: `make run` and `make test`. The logic lives in scripts/*.sh.
.PHONY: run test lint vendor migrate bench translations

run:  ## migrate, load demo data, start mail catcher + worker + web app
	bash scripts/run.sh

test:  ## install what is missing, lint, run the suite on SQLite and on PostgreSQL 15
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

vendor:  ## copy Bootstrap and htmx from npm into static/vendor/
	bash scripts/vendor.sh

migrate:  ## flask db upgrade
	bash scripts/migrate.sh

bench:  ## run every benchmarks/*.py
	bash scripts/bench.sh

translations:  ## extract strings, update every language's .po, compile .mo (docs/translations.md)
	bash scripts/translations.sh
