#!/usr/bin/env bash
# Deploys Compliance to the current Azure subscription (the one `az account show` names), without prompts, so it runs
# the same on a workstation and in CI (after `az login` / azure/login).
#
#   Phase 1  infrastructure: resource group, storage, monitoring, notification topic, Flex Consumption app, scanner
#            role, the subscription's Event Grid system topic and its event subscription, which delivers to a storage
#            queue (Event Grid does not check a queue against the app's code, so it need not wait for the code; events
#            that come first wait on the queue).
#   Phase 2  code: build artifacts/functions.zip and push it to the app.
#   Finally  a smoke test of /api/health, and the API and dashboard URLs.
#
# The deploying identity needs Owner (or Contributor + Role Based Access Control Administrator / User Access
# Administrator) on the subscription: it creates a custom role and role assignments.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/deploy.sh --location LOC [options]

  --location LOC          Azure region of the resource group and its resources (required; a Flex Consumption region)
  --resource-group NAME   resource group to create or update (default: rg-compliance)
  --name-prefix P         prefix of resource names (default: compliance)
  --schedule "NCRONTAB"   scan schedule, NCRONTAB with seconds, UTC (default: the template's, "0 0 */6 * * *")
  --skip-package          deploy the existing artifacts/functions.zip instead of building it
  --help                  show this help

Requires the Azure CLI, logged in (az login), with the target subscription selected (az account set).
USAGE
}

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
location=""
resource_group="rg-compliance"
name_prefix="compliance"
schedule=""
skip_package=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --location | --resource-group | --name-prefix | --schedule)
      [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"
      case "$1" in
        --location) location="$2" ;;
        --resource-group) resource_group="$2" ;;
        --name-prefix) name_prefix="$2" ;;
        --schedule) schedule="$2" ;;
      esac
      shift 2
      ;;
    --skip-package)
      skip_package=true
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage_error "unknown option: $1"
      ;;
  esac
done

[[ -n "$location" ]] || usage_error "--location is required"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
require_azure_login
echo "Subscription: $subscription_id"
echo "Resource group: $resource_group ($location)"

# --- The subscription's Event Grid system topic -----------------------------------------------------------------------
# Only one system topic may exist per source (here: the subscription). If one exists, the template must use it instead
# of creating a second one.
own_topic_name="${name_prefix}-subscription-events"
existing_topic_name=""
existing_topic_group=""
find_subscription_topic
if [[ -n "$topic_name" ]]; then
  echo "Existing subscription system topic: $topic_name (resource group $topic_group, identity: ${topic_identity_type:-None})"

  # The template delivers and dead-letters with the topic's system-assigned identity.
  case "${topic_identity_type,,}" in
    *systemassigned*) ;;
    "" | none)
      echo "Enabling the system-assigned identity of $topic_name"
      az eventgrid system-topic update --name "$topic_name" --resource-group "$topic_group" \
        --identity systemassigned --output none
      ;;
    *)
      # Switching a user-assigned-only topic to system-assigned could drop identities others rely on.
      die "system topic $topic_name has identity '$topic_identity_type' but no system-assigned one; enable it (keeping its user-assigned identities) and re-run"
      ;;
  esac

  # Our own topic from an earlier run stays managed by the template; anyone else's is used as it is.
  if [[ "${topic_name,,}" != "${own_topic_name,,}" || "${topic_group,,}" != "${resource_group,,}" ]]; then
    existing_topic_name="$topic_name"
    existing_topic_group="$topic_group"
  fi
fi

# --- Template parameters --------------------------------------------------------------------------------------------
deployment_name="compliance-${resource_group}"
deployment_name="${deployment_name:0:64}"
parameters=("resourceGroupName=$resource_group" "namePrefix=$name_prefix")
if [[ -n "$schedule" ]]; then
  parameters+=("scanSchedule=$schedule")
fi
if [[ -n "$existing_topic_name" ]]; then
  parameters+=("existingSystemTopicName=$existing_topic_name" "existingSystemTopicResourceGroup=$existing_topic_group")
fi

# One subscription-scope deployment of infra/main.bicep. A few attempts: a new custom role definition or managed
# identity can take a while to replicate (RoleDefinitionDoesNotExist, PrincipalNotFound), and a re-run fixes that.
deploy_infrastructure() {
  local attempt
  for attempt in 1 2 3; do
    if az deployment sub create \
      --name "$deployment_name" \
      --location "$location" \
      --template-file "$root/infra/main.bicep" \
      --parameters "${parameters[@]}" \
      --query properties.outputs --output json; then
      return 0
    fi
    if [[ $attempt -lt 3 ]]; then
      echo "Deployment attempt $attempt failed; retrying in 30 s (role and identity replication)" >&2
      sleep 30
    fi
  done
  return 1
}

output() {
  az deployment sub show --name "$deployment_name" --query "properties.outputs.$1.value" --output tsv
}

# --- Phase 1: infrastructure ------------------------------------------------------------------------------------------
echo
echo "== Phase 1: infrastructure"
deploy_infrastructure || die "phase 1 (infrastructure) failed"

app_group="$(output resourceGroupName)"
app_name="$(output functionAppName)"
api_url="$(output apiUrl)"
dashboard_url="$(output dashboardUrl)"
health_url="$(output healthUrl)"
[[ -n "$app_name" && -n "$health_url" ]] || die "could not read the deployment outputs of $deployment_name"
echo "Function app: $app_name (resource group $app_group)"

# --- Phase 2: code ------------------------------------------------------------------------------------------------------
# A Flex Consumption app takes its code as a package pushed to its deployment endpoint (the Azure CLI's config-zip does
# that for Flex apps); the package lands in the app-package container. The app's blob role may still be replicating
# right after phase 1, hence a few attempts.
echo
echo "== Phase 2: code"
package="$root/artifacts/functions.zip"
if [[ "$skip_package" == true ]]; then
  [[ -f "$package" ]] || die "--skip-package: $package does not exist (build it with: bash tools/package-functions.sh)"
  echo "Using the existing package $package"
else
  bash "$root/tools/package-functions.sh" "$package"
fi

deployed=false
for attempt in 1 2 3 4 5; do
  if az functionapp deployment source config-zip \
    --resource-group "$app_group" --name "$app_name" --src "$package" --output none; then
    deployed=true
    break
  fi
  echo "Package deployment attempt $attempt failed; retrying in 30 s" >&2
  sleep 30
done
[[ "$deployed" == true ]] || die "could not deploy $package to $app_name"

# --- Smoke test -----------------------------------------------------------------------------------------------------------
# The host starts the new code a while after the push; up to 5 minutes (30 x 10 s), as long as it may take to index it.
echo
echo "== Smoke test: $health_url"
curl -fsS --retry 30 --retry-delay 10 --retry-all-errors "$health_url"
echo

echo
echo "Deployed."
echo "  API:       $api_url"
echo "  Dashboard: $dashboard_url"
echo "  The API and the dashboard take a function key (?code=<key> or the x-functions-key header):"
echo "    az functionapp keys list --resource-group $app_group --name $app_name --query functionKeys.default --output tsv"
