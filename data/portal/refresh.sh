#!/bin/sh
# Imports the portal's records shipped in data/portal/records into the sample workspace (see
# data/portal/README.md). Run from the repository root. The import writes a whole workspace
# (the current rules and procedures, with each record's dossier replacing the procedure of the
# same code) to target/portal-import; its procedures and rules/imported.yaml then replace the
# sample's.
set -eu
paperwork=${PAPERWORK:-"cargo run --release --quiet --"}
$paperwork import --from portal data/portal/records \
    --volumes data/portal/volumes.csv --out target/portal-import --force
rm -rf procedures
cp -R target/portal-import/procedures procedures
cp target/portal-import/rules/imported.yaml rules/imported.yaml
$paperwork check --summary
