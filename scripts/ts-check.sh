#!/usr/bin/env bash
# The TypeScript check (issue 17): bootstraps a network on the embedded
# runtime with the `depin` CLI (the README's journeys), serves its state
# with `depin localnet` (JSON-RPC + WebSocket on loopback), and drives it
# with Anchor's TypeScript client through the checked-in IDLs (ts/src/check.ts).
#
# Usage: scripts/ts-check.sh [DEPIN_BINARY]
#   default binary: ${CARGO_TARGET_DIR:-$HOME/.cache/depin-suite/target}/debug/depin
#   TS_CHECK_BOOTSTRAP_ONLY=1  stop after the bootstrap and the fixture (no Node, no localnet)
#   TS_CHECK_KEEP=1            keep the temporary folder (its path is printed)
# Needs python3, curl, and Node >= 20.18 with npm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPIN="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/depin-suite/target}/debug/depin}"
DEPIN="$(cd "$(dirname "$DEPIN")" && pwd)/$(basename "$DEPIN")"
[[ -x "$DEPIN" ]] || { echo "ts-check: no depin binary at $DEPIN (cargo build -p depin-cli)" >&2; exit 2; }
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "ts-check: $tool is needed" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/depin-ts-check.XXXXXX")"
LOCALNET_PID=""
cleanup() {
  local status=$?
  if [[ -n "$LOCALNET_PID" ]] && kill -0 "$LOCALNET_PID" 2>/dev/null; then
    kill -TERM "$LOCALNET_PID" 2>/dev/null || true
    wait "$LOCALNET_PID" 2>/dev/null || true
  fi
  if [[ "${TS_CHECK_KEEP:-}" == 1 ]]; then
    echo "ts-check: kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# npm keeps using the real HOME (its cache); depin gets a HOME of its own, so
# no config file or default keypair of this machine is read.
NPM_HOME="$HOME"
export HOME="$WORK"
export DEPIN_STATE="$WORK/depin-state.bin"
unset DEPIN_URL DEPIN_CONFIG DEPIN_LOOKUP_TABLE
cd "$WORK"

step() { echo "== $*"; }
depin() { "$DEPIN" "$@"; }
dd() { depin -k deployer.json "$@"; }   # deployer
op() { depin -k operator.json "$@"; }   # device operator
or() { depin -k oracle.json "$@"; }     # oracle operator
quiet() { "$@" >/dev/null; }

step "bootstrap an embedded network ($DEPIN)"
for key in deployer oracle operator member fleet voter; do
  quiet depin keygen -o "$key.json"
done
quiet dd network init --keep-authority --oracle oracle.json   # quorum 1: one vote makes a batch final
quiet dd airdrop 10 --to oracle.json
quiet dd airdrop 10 --to operator.json
quiet dd airdrop 10 --to member.json
quiet dd airdrop 10 --to voter.json
quiet dd warp 1d                                              # epoch 0 ends
quiet or oracle price 0.50
quiet dd rewards issue                                        # epoch 0
quiet dd network grant operator.json 5000
quiet dd network grant member.json 20000                      # the proposer
quiet dd network grant voter.json 2000                        # the TS check's voter
quiet dd class add gpu --onboarding-fee 1000 --location-fee 10   # the class the TS check registers under
quiet op credits buy 100 --yes                                # credits for the fees, the TS device's too

# Six devices paying five wallets, so the claim's proof has several levels.
echo "device_keypair,class" > devices.csv
for device in d1 d2 d3 d4 d5 d6; do
  quiet depin keygen -o "$device.json"
  echo "$device.json,lora-sensor" >> devices.csv
done
quiet op device register-many devices.csv
quiet op device set-rewards-recipient d3.json member.json
quiet op device set-rewards-recipient d4.json oracle.json
quiet op device set-rewards-recipient d5.json deployer.json
quiet op device set-rewards-recipient d6.json fleet.json

quiet or warp 1d                                              # epoch 1 ends
echo "device,amount" > epoch-1.csv
amount=100000000
for device in d1 d2 d3 d4 d5 d6; do
  echo "$(depin address -k "$device.json"),$amount" >> epoch-1.csv
  amount=$((amount + 25000000))
done
quiet or oracle price 0.42
or --output json oracle submit epoch-1.csv --epoch 1 > submit-1.json   # final: writes batches/epoch-1.batch
quiet or rewards issue                                        # epoch 1
quiet or warp 1d                                              # the challenge window passes; epoch 2 ends
quiet or rewards issue                                        # epoch 2
quiet or warp 1h
op --output json rewards status --batch batches/epoch-1.batch > status-1.json
or --output json oracle status --epoch 2 > status-2.json

# A position for the TS check's voter and an open proposal for it to vote
# on (made last: the vote runs 3 days from now), once the DAO holds what
# the proposal changes.
quiet dd network hand-over --yes
quiet depin -k member.json gov lock 15000 --days 365            # the power to propose
quiet depin -k voter.json gov lock 1000 --days 30                # the TS check votes with it
depin -k member.json --output json gov propose --title "TS vote" \
  emission --from-epoch 30 --tokens-per-epoch 750000 > proposal.json

step "fixture"
# The claim's leaf index, amount and proof come from the batch file (the TS
# check reads it); the CLI's, if it prints them, are checked against it.
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
load = lambda name: json.load(open(os.path.join(work, name)))
submit, status, vote = load("submit-1.json"), load("status-1.json"), load("status-2.json")
proposal = load("proposal.json")
assert proposal["stage"] == "voting" and proposal["votes"] == 0, f"the proposal is not open: {proposal}"
assert submit["status"] == "Final", f"epoch 1's batch is {submit['status']}, not Final"
assert vote["status"] is None, f"epoch 2 already has a batch ({vote['status']})"
wallet = status["wallet"]
assert wallet and wallet["owed"] > 0, f"the operator is owed nothing: {wallet}"
claim = {
    "epoch": 1,
    "batchFile": os.path.join(work, submit["batchFile"]),
    "wallet": wallet["address"],
    "owed": str(wallet["owed"]),
}
for key in ("index", "amount", "proof"):
    if key in wallet:
        claim[key] = str(wallet[key]) if key == "amount" else wallet[key]
fixture = {
    "keypairs": {name: os.path.join(work, f"{name}.json") for name in ("oracle", "operator", "voter")},
    "deviceClass": "gpu",
    "location": "8a2a1072b5b7fff",
    "claim": claim,
    "vote": {
        "epoch": 2,
        "batchFile": os.path.join(work, "batches", "epoch-2.batch"),
        "uri": "batches/epoch-2.batch",
    },
    "proposal": {"id": proposal["id"], "resultFile": os.path.join(work, "ts-vote.json")},
}
with open(os.path.join(work, "fixture.json"), "w") as out:
    json.dump(fixture, out, indent=2)
print(f"epoch 1 final ({submit['wallets']} wallets, total {submit['total']}); "
      f"operator owed {wallet['owed']}; epoch 2 ended, no batch; proposal {proposal['id']} open")
PY
export DEPIN_FIXTURE="$WORK/fixture.json"

if [[ "${TS_CHECK_BOOTSTRAP_ONLY:-}" == 1 ]]; then
  cat "$DEPIN_FIXTURE"; echo
  exit 0
fi

step "npm ci && npm run build (ts/)"
command -v npm >/dev/null || { echo "ts-check: Node and npm are needed" >&2; exit 2; }
# No dependency needs an install script (ws's optional native addons ship
# prebuilt binaries and ws works without them).
(cd "$ROOT/ts" && HOME="$NPM_HOME" npm ci --no-audit --no-fund --ignore-scripts \
  && HOME="$NPM_HOME" npm run build)

read -r RPC_PORT WS_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for sock in socks:
    sock.bind(("127.0.0.1", 0))
print(*(sock.getsockname()[1] for sock in socks))
for sock in socks:
    sock.close()
')
step "depin localnet on 127.0.0.1:$RPC_PORT (RPC) and :$WS_PORT (WebSocket)"
"$DEPIN" localnet --state "$DEPIN_STATE" --rpc-port "$RPC_PORT" --ws-port "$WS_PORT" --slot-ms 100 \
  > "$WORK/localnet.log" 2>&1 &
LOCALNET_PID=$!
healthy=""
for _ in $(seq 300); do
  if ! kill -0 "$LOCALNET_PID" 2>/dev/null; then
    wait "$LOCALNET_PID" || echo "ts-check: localnet exited with status $? before answering" >&2
    LOCALNET_PID=""
    break
  fi
  if curl -sf -m 1 -H 'Content-Type: application/json' \
      -d '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' "http://127.0.0.1:$RPC_PORT" \
      | grep -Eq '"result" *: *"ok"'; then
    healthy=1
    break
  fi
  sleep 0.1
done
if [[ -z "$healthy" ]]; then
  echo "ts-check: localnet never answered getHealth with \"ok\" (30 s at most); its output:" >&2
  cat "$WORK/localnet.log" >&2
  exit 1
fi

step "node ts/dist/check.js"
status=0
DEPIN_RPC_URL="http://127.0.0.1:$RPC_PORT" DEPIN_WS_URL="ws://127.0.0.1:$WS_PORT" \
  node "$ROOT/ts/dist/check.js" || status=$?

kill -TERM "$LOCALNET_PID" 2>/dev/null || true
localnet_status=0
wait "$LOCALNET_PID" || localnet_status=$?
LOCALNET_PID=""
if [[ $status -ne 0 ]]; then
  echo "ts-check: localnet's output:" >&2
  cat "$WORK/localnet.log" >&2
fi
if [[ $localnet_status -ne 0 ]]; then
  echo "ts-check: localnet exited with status $localnet_status after SIGTERM" >&2
fi
[[ $status -eq 0 ]] || exit "$status"

# What the TS client did is in the state file: the CLI reads it back (the
# claim, the oracle's vote, the governance vote with the power the check
# saw in VoteCast), and the batch file the TS oracle wrote is checked by the
# Rust reader against the commitment it voted (BatchFile::read, then the
# chain's root and hash).
step "the CLI reads back the TS check's transactions"
op --output json rewards status --batch batches/epoch-1.batch > after-1.json
or --output json oracle status --epoch 2 > after-2.json
op --output json rewards status --batch batches/epoch-2.batch > after-2-batch.json
depin -k voter.json --output json gov show "$(python3 -c 'import json; print(json.load(open("proposal.json"))["id"])')" > after-vote.json
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
load = lambda name: json.load(open(os.path.join(work, name)))
claimed, vote, carried = load("after-1.json")["wallet"], load("after-2.json"), load("after-2-batch.json")
assert claimed["owed"] == 0 and claimed["claimed"] == claimed["earned"], f"the claim is not on the chain: {claimed}"
assert vote["status"] == "Final" and vote["uri"] == "batches/epoch-2.batch", f"the vote is not on the chain: {vote}"
assert carried["batch"]["total"] == load("status-1.json")["batch"]["total"], f"epoch 2's batch: {carried['batch']}"
ts_vote, shown = load("ts-vote.json"), load("after-vote.json")
assert shown["votes"] == 1 and shown["yes"] == ts_vote["power"] and shown["no"] == "0", \
    f"the TS vote is not on the chain: {shown} (the check cast {ts_vote})"
print(f"claim paid ({claimed['claimed']}); epoch 2 final with the TS oracle's batch file ({carried['batch']['wallets']} wallets); "
      f"proposal {shown['id']}: 1 vote, yes {shown['votingPower']['yes']} tokens of power, as cast")
PY
