# shellcheck shell=bash
# shellcheck disable=SC2034  # the functions set variables for the sourcing script
# Shared by deploy.sh and remove.sh (sourced, not run): messages and exit codes, the sign-in check, and finding the
# subscription's Event Grid system topic.

script_name="$(basename "$0")"

die() {
  echo "$script_name: $*" >&2
  exit 1
}

# Needs the sourcing script's usage function.
usage_error() {
  echo "$script_name: $*" >&2
  usage >&2
  exit 2
}

# Sets subscription_id to the subscription the Azure CLI is signed in to, or stops.
require_azure_login() {
  command -v az >/dev/null 2>&1 || die "the Azure CLI (az) is not installed"
  if ! subscription_id="$(az account show --query id --output tsv 2>/dev/null)" || [[ -z "$subscription_id" ]]; then
    die "not logged in to Azure: run 'az login' (in CI: azure/login) and 'az account set --subscription <id>' first"
  fi
}

# Sets topic_name, topic_group, topic_identity_type and topic_created_by to those of the subscription's system topic
# (only one may exist per subscription), or to empty strings when there is none. JMESPath has no lower(), and ARM ids
# and topic types come back in varying case, so the topics are listed and compared case-insensitively here.
find_subscription_topic() {
  local source="/subscriptions/${subscription_id}" topics topic_id topic_source topic_type identity_type created_by
  local -a id_parts
  topic_name=""
  topic_group=""
  topic_identity_type=""
  topic_created_by=""
  topics="$(az eventgrid system-topic list --query "[].[id, source, topicType, identity.type, tags.createdBy]" --output tsv)"
  while IFS=$'\t' read -r topic_id topic_source topic_type identity_type created_by; do
    [[ -n "$topic_id" ]] || continue
    [[ "${topic_source,,}" == "${source,,}" ]] || continue
    [[ "${topic_type,,}" == "microsoft.resources.subscriptions" ]] || continue
    IFS='/' read -r -a id_parts <<<"$topic_id"
    topic_group="${id_parts[4]}"
    topic_name="${id_parts[8]}"
    topic_identity_type="$identity_type"
    topic_created_by="$created_by"
    return 0
  done <<<"$topics"
}
