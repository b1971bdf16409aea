#!/usr/bin/env bash
# Removes what infra/deploy.sh deployed, in an order that leaves nothing dangling, without prompts:
#   1. the event subscriptions of the subscription's system topic that deliver to our resource group (to the event
#      queue of our storage account, or to our function for a deployment from before the queue; named
#      <function app>-changes; another deployment in the same subscription may have its own);
#   2. the scanner role assignment of our app's identity, then the custom role definition "Compliance scanner (<sub>)"
#      if nothing else is assigned it (subscription-scope assignments do not go away with the resource group);
#   3. the system topic, only if this deployment created it (tagged createdBy=compliance, named
#      <name-prefix>-subscription-events, in our resource group) and no one else subscribes to it;
#   4. the resource group.
# Destructive, so it only acts with --yes; without it, it says what it would remove.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/remove.sh [options] --yes

  --resource-group NAME   resource group deploy.sh created (default: rg-compliance)
  --name-prefix P         prefix deploy.sh used (default: compliance)
  --yes                   really delete (without it, only list what would be deleted)
  --help                  show this help

Requires the Azure CLI, logged in (az login), with the target subscription selected (az account set).
USAGE
}

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

resource_group="rg-compliance"
name_prefix="compliance"
confirmed=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --resource-group | --name-prefix)
      [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"
      case "$1" in
        --resource-group) resource_group="$2" ;;
        --name-prefix) name_prefix="$2" ;;
      esac
      shift 2
      ;;
    --yes)
      confirmed=true
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

require_azure_login

subscription_scope="/subscriptions/${subscription_id}"
group_prefix="${subscription_scope}/resourcegroups/${resource_group}/"
own_topic_name="${name_prefix}-subscription-events"
role_name="Compliance scanner (${subscription_id})"
# The resource an event subscription delivers to, whether it delivers with the topic's identity or not.
destination_query="destination.resourceId || destination.properties.resourceId"
destination_query+=" || deliveryWithResourceIdentity.destination.resourceId"
destination_query+=" || deliveryWithResourceIdentity.destination.properties.resourceId"

# Runs a deleting command, or only shows it without --yes.
act() {
  if [[ "$confirmed" == true ]]; then
    "$@"
  else
    echo "  would run: $*"
  fi
}

echo "Subscription: $subscription_id"
echo "Resource group: $resource_group"
[[ "$confirmed" == true ]] || echo "(dry run: nothing is deleted without --yes)"

group_exists="$(az group exists --name "$resource_group")"

# --- 1. The event subscription --------------------------------------------------------------------------------------
find_subscription_topic

echo
if [[ -z "$topic_name" ]]; then
  echo "1. No subscription system topic: no event subscription to delete"
else
  echo "1. System topic $topic_name (resource group $topic_group)"
  # Every event subscription of the topic that delivers into our resource group is ours (named <function app>-changes).
  found=false
  while IFS=$'\t' read -r subscription_name destination; do
    [[ -n "$subscription_name" ]] || continue
    [[ "${destination,,}" == "${group_prefix,,}"* ]] || continue
    found=true
    echo "   Deleting the event subscription $subscription_name (delivers to $destination)"
    act az eventgrid system-topic event-subscription delete \
      --name "$subscription_name" --resource-group "$topic_group" --system-topic-name "$topic_name" --yes
  done < <(az eventgrid system-topic event-subscription list --resource-group "$topic_group" --system-topic-name "$topic_name" \
    --query "[].[name, $destination_query]" --output tsv)
  [[ "$found" == true ]] || echo "   No event subscription delivers to $resource_group"
fi

# --- 2. The scanner role assignment and the custom role ----------------------------------------------------------------
echo
principals=""
if [[ "$group_exists" == true ]]; then
  principals="$(az functionapp list --resource-group "$resource_group" \
    --query "[].identity.principalId" --output tsv)"
fi
role_id="$(az role definition list --custom-role-only true --name "$role_name" --scope "$subscription_scope" \
  --query "[0].name" --output tsv)"
if [[ -z "$role_id" ]]; then
  echo "2. No custom role \"$role_name\""
else
  echo "2. Custom role \"$role_name\" ($role_id)"
  assignments="$(az role assignment list --role "$role_id" --scope "$subscription_scope" \
    --query "[].[id, principalId]" --output tsv)"
  remaining=0
  while IFS=$'\t' read -r assignment_id principal_id; do
    [[ -n "$assignment_id" ]] || continue
    if [[ -n "$principals" ]] && grep -qixF -- "$principal_id" <<<"$principals"; then
      echo "   Deleting its assignment to our app's identity $principal_id"
      act az role assignment delete --ids "$assignment_id"
    else
      remaining=$((remaining + 1))
    fi
  done <<<"$assignments"
  if [[ $remaining -eq 0 ]]; then
    echo "   Deleting the role definition (no other assignments)"
    if [[ "$confirmed" == true ]]; then
      az role definition delete --name "$role_id" --scope "$subscription_scope" ||
        echo "   Could not delete the role definition (assignments may still be replicating); re-run later" >&2
    else
      echo "  would run: az role definition delete --name $role_id --scope $subscription_scope"
    fi
  else
    echo "   $remaining other assignment(s) of the role remain (another deployment, or an app deleted earlier): role definition kept"
  fi
fi

# --- 3. The system topic, if this deployment created it -------------------------------------------------------------------
echo
if [[ -n "$topic_name" && "${topic_created_by,,}" == "compliance" &&
  "${topic_name,,}" == "${own_topic_name,,}" && "${topic_group,,}" == "${resource_group,,}" ]]; then
  # Event subscriptions that deliver elsewhere belong to someone else: the topic then stays.
  others="$(az eventgrid system-topic event-subscription list --resource-group "$topic_group" --system-topic-name "$topic_name" \
    --query "[].[name, $destination_query || destination.endpointBaseUrl]" --output tsv |
    while IFS=$'\t' read -r other_name other_destination; do
      [[ -n "$other_name" && "${other_destination,,}" != "${group_prefix,,}"* ]] && echo "$other_name"
    done || true)"
  if [[ -n "$others" ]]; then
    echo "3. System topic $topic_name was created by this deployment but other event subscriptions use it: left alone ($(tr '\n' ' ' <<<"$others"))"
  else
    echo "3. Deleting the system topic $topic_name (created by this deployment: tag createdBy=compliance)"
    act az eventgrid system-topic delete --name "$topic_name" --resource-group "$topic_group" --yes
  fi
elif [[ -n "$topic_name" ]]; then
  echo "3. System topic $topic_name was not created by this deployment: left alone"
else
  echo "3. No system topic to delete"
fi

# --- 4. The resource group ----------------------------------------------------------------------------------------------
echo
if [[ "$group_exists" == true ]]; then
  echo "4. Deleting the resource group $resource_group"
  act az group delete --name "$resource_group" --yes
else
  echo "4. Resource group $resource_group does not exist"
fi

echo
if [[ "$confirmed" == true ]]; then
  echo "Removed."
else
  echo "Dry run only; re-run with --yes to delete."
fi
