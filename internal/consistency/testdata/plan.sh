#!/bin/sh
# Regenerates each scenario's plan.json from its main.tf with the real
# Terraform, offline: the provider comes from the local mirror and is
# configured with loopback endpoints and no credential or account checks.
#   cd internal/consistency/testdata && ./plan.sh
set -eu
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
for dir in */; do
	dir=${dir%/}
	[ -f "$dir/main.tf" ] || continue
	work=$(mktemp -d)
	cp "$dir/main.tf" "$work/"
	(
		cd "$work"
		terraform init -input=false -plugin-dir=/opt/tf-plugins >/dev/null
		terraform plan -input=false -refresh=false -out=plan.out >/dev/null
		terraform show -json plan.out
	) | python3 -m json.tool --indent 2 >"$dir/plan.json"
	rm -rf "$work"
	echo "$dir/plan.json"
done
