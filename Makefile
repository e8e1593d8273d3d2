# The two commands (README): `make start` runs the whole service, `make test` runs every test.
# Both install what they need first; installs are cached in node_modules/ and .tools/.
.PHONY: start test deps tools test-tools typecheck clean-data

NODE_STAMP := node_modules/.installed

start: deps tools
	node --import tsx scripts/start.ts

test: deps tools test-tools
	npm run typecheck
	npx jest --ci

deps: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

tools:
	scripts/install-tools.sh cli

test-tools:
	scripts/install-tools.sh test-server

typecheck: deps
	npm run typecheck

# Forget every case, the database and Temporal's history (asks first).
clean-data:
	@read -p "delete .data/ (all cases, roster and Temporal history)? [y/N] " a && [ "$$a" = y ] && rm -rf .data || true
