// The TypeScript check (issue 17): drives a `depin localnet` node through
// the checked-in IDLs with Anchor's TypeScript client and web3.js 1.x, as a
// wallet, an oracle node or a dashboard written in TypeScript would.
//
// Env: DEPIN_RPC_URL (http), DEPIN_WS_URL (ws), DEPIN_FIXTURE (JSON written
// by scripts/ts-check.sh). Prints one line per step and a closing
// "N passed, N failed" line; exits non-zero on the first failed step.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  AnchorError,
  AnchorProvider,
  BN,
  Coder,
  Idl,
  IdlAccounts,
  IdlEvents,
  Program,
  Wallet,
  translateError,
  utils,
} from "@anchor-lang/core";
import {
  Connection,
  Keypair,
  PublicKey,
  SendTransactionError,
  Transaction,
  TransactionSignature,
} from "@solana/web3.js";
import type { DeviceRegistry } from "../generated/device_registry";
import type { Governance } from "../generated/governance";
import type { ProofOracle } from "../generated/proof_oracle";
import type { Rewards } from "../generated/rewards";
import { carryForward, computeRoot, MerkleNode, proofFor, readBatch, sha256Of } from "./batch";

/** What scripts/ts-check.sh prepared; u64 amounts are decimal strings. */
interface Fixture {
  keypairs: { oracle: string; operator: string; voter: string };
  /** A class the deployer added, to register the new device under. */
  deviceClass: string;
  /** H3 cell (hex) to register the device at. */
  location: string;
  /** A final, claimable batch that owes the operator `owed`. */
  claim: {
    epoch: number;
    batchFile: string;
    wallet: string;
    owed: string;
    /** From the CLI, when it prints them: checked against the batch file. */
    index?: number;
    amount?: string;
    /** Each entry 80 hex digits: sibling hash ‖ sum (u64 LE), as in the batch file. */
    proof?: string[];
  };
  /** An ended epoch with no batch yet, for the oracle's vote. */
  vote: { epoch: number; batchFile: string; uri: string };
  /**
   * A proposal open for votes; `voter` holds a position that counts. The
   * check writes the vote it cast to `resultFile` for the CLI to compare.
   */
  proposal: { id: number; resultFile: string };
}

const TOKEN_PROGRAM_ID = new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
const ASSOCIATED_TOKEN_PROGRAM_ID = new PublicKey("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
/**
 * The first 8 bytes of an `emit_cpi!` instruction's data: anchor_lang's
 * EVENT_IX_TAG_LE, the u64 0x1d9acb512ea545e4 little-endian (which is
 * sha256("anchor:event")[..8] reversed, so not derivable by hashing alone).
 */
const EVENT_IX_TAG = Buffer.from("e445a52e51cb9a1d", "hex");

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function loadKeypair(file: string): Keypair {
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(file, "utf8")) as number[]));
}

/** The raw (snake_case) IDL: Program camel-cases it as the generated types do. */
function loadIdl<T extends Idl>(name: string): T {
  return JSON.parse(readFileSync(path.resolve(__dirname, "../../idl", `${name}.json`), "utf8")) as T;
}

function u64le(value: number | bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}

function associatedTokenAddress(owner: PublicKey, mint: PublicKey, tokenProgram: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync(
    [owner.toBuffer(), tokenProgram.toBuffer(), mint.toBuffer()],
    ASSOCIATED_TOKEN_PROGRAM_ID,
  )[0];
}

/** Values as comparable text: keys in base58, numbers in decimal, bytes in hex. */
function show(value: unknown): string {
  if (value instanceof PublicKey) return value.toBase58();
  if (BN.isBN(value) || typeof value === "bigint") return value.toString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (Array.isArray(value) && value.every((item) => typeof item === "number")) {
    return Buffer.from(value as number[]).toString("hex");
  }
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function expectEq(what: string, actual: unknown, expected: unknown): void {
  if (show(actual) !== show(expected)) {
    throw new Error(`${what}: got ${show(actual)}, expected ${show(expected)}`);
  }
}

/** A thrown value as text: an Error's stack, anything else as JSON. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

function short(key: PublicKey | string): string {
  const text = key.toString();
  return `${text.slice(0, 4)}…${text.slice(-4)}`;
}

function toProofNode(node: MerkleNode): { hash: number[]; sum: BN } {
  return { hash: [...node.hash], sum: new BN(node.sum.toString()) };
}

async function main(): Promise<number> {
  const fixture = JSON.parse(readFileSync(env("DEPIN_FIXTURE"), "utf8")) as Fixture;
  const connection = new Connection(env("DEPIN_RPC_URL"), {
    wsEndpoint: env("DEPIN_WS_URL"),
    commitment: "confirmed",
  });
  const oracle = loadKeypair(fixture.keypairs.oracle);
  const operator = loadKeypair(fixture.keypairs.operator);
  const voter = loadKeypair(fixture.keypairs.voter);
  // Anchor builds every transaction and `send` signs and sends it; the
  // provider's wallet signs nothing (Anchor defaults unnamed signers to it).
  const provider = new AnchorProvider(connection, new Wallet(operator), {
    commitment: "confirmed",
    preflightCommitment: "confirmed",
  });
  const registry = new Program<DeviceRegistry>(loadIdl("device_registry"), provider);
  const proofOracle = new Program<ProofOracle>(loadIdl("proof_oracle"), provider);
  const rewards = new Program<Rewards>(loadIdl("rewards"), provider);
  const governance = new Program<Governance>(loadIdl("governance"), provider);

  // Signs and sends with web3.js itself, then waits on the WebSocket
  // (signatureSubscribe) through confirmTransaction's blockhash strategy.
  async function send(tx: Transaction, signers: Keypair[]): Promise<TransactionSignature> {
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    tx.recentBlockhash = blockhash;
    tx.feePayer = signers[0].publicKey;
    tx.sign(...signers);
    const signature = await connection.sendRawTransaction(tx.serialize(), {
      preflightCommitment: "confirmed",
    });
    const { value } = await connection.confirmTransaction(
      { signature, blockhash, lastValidBlockHeight },
      "confirmed",
    );
    if (value.err) throw new Error(`${signature} failed: ${JSON.stringify(value.err)}`);
    return signature;
  }

  // Sends without preflight, so a failing transaction lands (and pays its
  // fee); returns its signature and the error it failed with.
  async function sendLanded(
    tx: Transaction,
    signers: Keypair[],
  ): Promise<{ signature: TransactionSignature; err: unknown }> {
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    tx.recentBlockhash = blockhash;
    tx.feePayer = signers[0].publicKey;
    tx.sign(...signers);
    const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    let err: unknown;
    try {
      const { value } = await connection.confirmTransaction(
        { signature, blockhash, lastValidBlockHeight },
        "confirmed",
      );
      err = value.err;
    } catch (thrown) {
      // confirmTransaction resolves with the error when the subscription
      // reports it, but rejects with the bare error (not an Error) when its
      // first status poll finds the failure, at any commitment.
      if (thrown instanceof Error) throw thrown;
      err = thrown;
    }
    for (let poll = 0; ; poll++) {
      const { value } = await connection.getSignatureStatus(signature);
      if (value?.confirmationStatus === "confirmed" || value?.confirmationStatus === "finalized") break;
      if (poll === 100) throw new Error(`${signature} not confirmed after 10 s: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { signature, err };
  }

  // The program's `emit_cpi!` events: its self-invocations among the inner
  // instructions, whose data is EVENT_IX_TAG then the event (discriminator, borsh).
  async function eventsOf(
    signature: TransactionSignature,
    program: { programId: PublicKey; coder: Coder },
  ): Promise<{ name: string; data: unknown }[]> {
    const tx = await connection.getTransaction(signature, {
      maxSupportedTransactionVersion: 0,
      commitment: "confirmed",
    });
    if (!tx?.meta) throw new Error(`getTransaction(${signature}) returned no transaction or meta`);
    const keys = tx.transaction.message.getAccountKeys({
      accountKeysFromLookups: tx.meta.loadedAddresses,
    });
    const events: { name: string; data: unknown }[] = [];
    for (const inner of tx.meta.innerInstructions ?? []) {
      for (const ix of inner.instructions) {
        if (!keys.get(ix.programIdIndex)?.equals(program.programId)) continue;
        const data = Buffer.from(utils.bytes.bs58.decode(ix.data));
        if (!data.subarray(0, 8).equals(EVENT_IX_TAG)) continue;
        const event = program.coder.events.decode(data.subarray(8).toString("base64"));
        if (!event) throw new Error(`an event CPI of ${program.programId} that its IDL does not decode`);
        events.push(event);
      }
    }
    return events;
  }

  function theEvent<T>(events: { name: string; data: unknown }[], name: string): T {
    const found = events.filter((event) => event.name === name);
    if (found.length !== 1) {
      throw new Error(`expected one ${name} event, got [${events.map((event) => event.name).join(", ")}]`);
    }
    return found[0].data as T;
  }

  // claim_rewards of `wallet`'s leaf in the claimed batch, `payer` paying
  // the fee (claims are permissionless).
  async function claimTransaction(
    payer: Keypair,
    wallet: PublicKey,
    leaf: NonNullable<ReturnType<typeof proofFor>>,
  ): Promise<Transaction> {
    return (await claimBuilder(payer, wallet, leaf)).transaction();
  }

  // Only what the IDL cannot derive: the batch proved against (any final
  // one), the recipient and its token account. Anchor fills in the rest —
  // the device pool and the token mint from the PDAs the IDL declares.
  async function claimBuilder(
    payer: Keypair,
    wallet: PublicKey,
    leaf: NonNullable<ReturnType<typeof proofFor>>,
  ) {
    return rewards.methods
      .claimRewards({
        amount: new BN(leaf.amount.toString()),
        index: leaf.index,
        proof: leaf.proof.map(toProofNode),
      })
      .accounts({
        payer: payer.publicKey,
        batch: batchAddress(fixture.claim.epoch),
        recipient: wallet,
        destination: associatedTokenAddress(wallet, rewardsConfig.tokenMint, TOKEN_PROGRAM_ID),
      });
  }

  async function tokenAmount(account: PublicKey): Promise<bigint> {
    return BigInt((await connection.getTokenAccountBalance(account, "confirmed")).value.amount);
  }

  const rewardsConfig = await rewards.account.rewardsConfig.fetch(
    PublicKey.findProgramAddressSync([Buffer.from("rewards_config")], rewards.programId)[0],
  );
  const batchAddress = (epoch: number) =>
    PublicKey.findProgramAddressSync([Buffer.from("batch"), u64le(epoch)], proofOracle.programId)[0];
  const claimBatch = readBatch(fixture.claim.batchFile);

  const steps: [string, () => Promise<string>][] = [
    [
      "submit_price",
      async () => {
        const price = new BN(431_000); // $0.431, in millionths of a dollar
        const tx = await proofOracle.methods
          .submitPrice({ price })
          .accounts({ oracle: oracle.publicKey })
          .transaction();
        const signature = await send(tx, [oracle]);
        const event = theEvent<IdlEvents<ProofOracle>["priceSubmitted"]>(
          await eventsOf(signature, proofOracle),
          "priceSubmitted",
        );
        expectEq("PriceSubmitted.oracle", event.oracle, oracle.publicKey);
        expectEq("PriceSubmitted.price", event.price, price);
        const feedAddress = PublicKey.findProgramAddressSync([Buffer.from("price_feed")], proofOracle.programId)[0];
        const feed = await proofOracle.account.priceFeed.fetch(feedAddress);
        const entry = feed.entries.find((candidate) => candidate.oracle.equals(oracle.publicKey));
        expectEq("price feed entry", entry?.price, price);
        expectEq("price feed entry time", entry?.updatedAt, event.timestamp);
        // The rewards IDL declares the oracle program's singletons as PDAs of
        // that program (its `program` seed): Anchor derives the same feed.
        const creditPurchase = await rewards.methods
          .mintDataCredits({ tokens: new BN(1) })
          .accounts({ owner: operator.publicKey, source: PublicKey.default, recipientAccount: PublicKey.default })
          .pubkeys();
        expectEq("rewards' derived priceFeed", creditPurchase.priceFeed, feedAddress);
        expectEq(
          "rewards' derived oracleConfig",
          creditPurchase.oracleConfig,
          PublicKey.findProgramAddressSync([Buffer.from("oracle_config")], proofOracle.programId)[0],
        );
        expectEq("rewards' derived dcMint", creditPurchase.dcMint, rewardsConfig.dcMint);
        return (
          `oracle ${short(oracle.publicKey)} posted $0.431; PriceSubmitted decoded; feed updated, ` +
          `the address the rewards IDL derives (${signature})`
        );
      },
    ],
    [
      "register_device",
      async () => {
        const configAddress = PublicKey.findProgramAddressSync(
          [Buffer.from("registry_config")],
          registry.programId,
        )[0];
        const config = await registry.account.registryConfig.fetch(configAddress);
        const classId = config.classes.findIndex((candidate) => candidate.name === fixture.deviceClass);
        if (classId < 0) throw new Error(`no class ${fixture.deviceClass} on chain`);
        const deviceClass = config.classes[classId];
        // The fee mint (data credits) is Token-2022: its owner is the token program to name.
        const feeMintInfo = await connection.getAccountInfo(config.feeMint, "confirmed");
        if (!feeMintInfo) throw new Error(`fee mint ${config.feeMint} not found`);
        const tokenProgram = feeMintInfo.owner;
        const feeAccount = associatedTokenAddress(operator.publicKey, config.feeMint, tokenProgram);
        const creditsBefore = await tokenAmount(feeAccount);

        const device = Keypair.generate();
        const location = new BN(fixture.location, 16);
        const metadata = Buffer.from("ts-check");
        const tx = await registry.methods
          .registerDevice({ classId, location, metadata })
          .accountsPartial({
            payer: operator.publicKey,
            owner: operator.publicKey,
            // Proof of possession: the device key co-signs the transaction.
            deviceKey: device.publicKey,
            // An open class: no maker (Anchor passes the program id for None).
            maker: null,
            makerSigner: null,
            feeMint: config.feeMint,
            feeAccount,
            tokenProgram,
          })
          .transaction();
        const signature = await send(tx, [operator, device]);

        const deviceAddress = PublicKey.findProgramAddressSync(
          [Buffer.from("device"), device.publicKey.toBuffer()],
          registry.programId,
        )[0];
        const stored: IdlAccounts<DeviceRegistry>["device"] = await registry.account.device.fetch(deviceAddress);
        const serial = config.devicesRegistered.addn(1);
        expectEq("device.deviceKey", stored.deviceKey, device.publicKey);
        expectEq("device.owner", stored.owner, operator.publicKey);
        expectEq("device.serial", stored.serial, serial);
        expectEq("device.classId", stored.classId, classId);
        expectEq("device.status", stored.status, { active: {} });
        expectEq("device.location", stored.location, location);
        expectEq("device.metadata", stored.metadata.slice(0, stored.metadataLen), metadata);
        expectEq("device.rewardsRecipient", stored.rewardsRecipient, operator.publicKey);

        const event = theEvent<IdlEvents<DeviceRegistry>["deviceRegistered"]>(
          await eventsOf(signature, registry),
          "deviceRegistered",
        );
        expectEq("DeviceRegistered.deviceKey", event.deviceKey, device.publicKey);
        expectEq("DeviceRegistered.owner", event.owner, operator.publicKey);
        expectEq("DeviceRegistered.serial", event.serial, serial);
        expectEq("DeviceRegistered.classId", event.classId, classId);
        expectEq("DeviceRegistered.location", event.location, location);
        expectEq("DeviceRegistered.feeBurned", event.feeBurned, deviceClass.onboardingFee);
        expectEq("DeviceRegistered.timestamp", event.timestamp, stored.registeredAt);
        const creditsAfter = await tokenAmount(feeAccount);
        expectEq("credits burned", creditsBefore - creditsAfter, deviceClass.onboardingFee);
        return (
          `device ${short(device.publicKey)} (class ${fixture.deviceClass}, serial ${serial}) ` +
          `read back; DeviceRegistered decoded; ${deviceClass.onboardingFee} credits burned (${signature})`
        );
      },
    ],
    [
      "claim_rewards",
      async () => {
        const wallet = new PublicKey(fixture.claim.wallet);
        const batch = batchAddress(fixture.claim.epoch);
        const onChain = await proofOracle.account.epochBatch.fetch(batch);
        expectEq("batch status", onChain.status, { final: {} });
        expectEq("batch root", onChain.commitment.root, claimBatch.root.hash);
        expectEq("batch total", onChain.commitment.total, claimBatch.root.sum);
        expectEq("batch wallets", onChain.commitment.leafCount, claimBatch.leaves.length);
        expectEq("batch file hash", onChain.commitment.proofDataHash, sha256Of(claimBatch.bytes));

        const leaf = proofFor(claimBatch, wallet);
        if (!leaf) throw new Error(`wallet ${wallet} has no leaf in ${fixture.claim.batchFile}`);
        const root = computeRoot({ wallet, amount: leaf.amount }, leaf.index, claimBatch.leaves.length, leaf.proof);
        expectEq("proof root", root.hash, claimBatch.root.hash);
        if (fixture.claim.proof !== undefined) {
          // The CLI's proof, when it prints one, must be the file's.
          expectEq("CLI leaf index", fixture.claim.index, leaf.index);
          expectEq("CLI leaf amount", fixture.claim.amount, leaf.amount);
          expectEq(
            "CLI proof",
            fixture.claim.proof.join(","),
            leaf.proof.map((node) => Buffer.concat([node.hash, u64le(node.sum)]).toString("hex")).join(","),
          );
        }

        const destination = associatedTokenAddress(wallet, rewardsConfig.tokenMint, TOKEN_PROGRAM_ID);
        const before = await tokenAmount(destination);
        // What Anchor derived from the IDL is what the rewards config stores.
        const resolved = await (await claimBuilder(operator, wallet, leaf)).pubkeys();
        expectEq("derived devicePool", resolved.devicePool, rewardsConfig.devicePool);
        expectEq("derived tokenMint", resolved.tokenMint, rewardsConfig.tokenMint);
        const signature = await send(await claimTransaction(operator, wallet, leaf), [operator]);
        const event = theEvent<IdlEvents<Rewards>["rewardsClaimed"]>(
          await eventsOf(signature, rewards),
          "rewardsClaimed",
        );
        expectEq("RewardsClaimed.recipient", event.recipient, wallet);
        expectEq("RewardsClaimed.payer", event.payer, operator.publicKey);
        expectEq("RewardsClaimed.batchEpoch", event.batchEpoch, fixture.claim.epoch);
        expectEq("RewardsClaimed.amount", event.amount, fixture.claim.owed);
        expectEq("RewardsClaimed.totalClaimed", event.totalClaimed, leaf.amount);
        expectEq("tokens received", (await tokenAmount(destination)) - before, fixture.claim.owed);
        const record = await rewards.account.recipientRecord.fetch(
          PublicKey.findProgramAddressSync([Buffer.from("recipient"), wallet.toBuffer()], rewards.programId)[0],
        );
        expectEq("recipient record", record.claimed, leaf.amount);
        return (
          `wallet ${short(wallet)} leaf ${leaf.index} of ${claimBatch.leaves.length} (proof of ${leaf.proof.length}) ` +
          `paid ${fixture.claim.owed} base units, pool and mint derived from the IDL; RewardsClaimed decoded (${signature})`
        );
      },
    ],
    [
      "claim_rewards again (must fail)",
      async () => {
        // Submitted by the oracle this time (claims are permissionless), so
        // it can never be a byte-identical duplicate of the claim above.
        const wallet = new PublicKey(fixture.claim.wallet);
        const leaf = proofFor(claimBatch, wallet)!;
        const tx = await claimTransaction(oracle, wallet, leaf);
        let thrown: unknown;
        try {
          await send(tx, [oracle]);
        } catch (error) {
          thrown = error;
        }
        if (!(thrown instanceof SendTransactionError)) {
          throw new Error(`expected a SendTransactionError (preflight), got ${thrown === undefined ? "success" : String(thrown)}`);
        }
        // Preflight's logs ride on the JSON-RPC error (error.data.logs).
        const logs = thrown.transactionError.logs;
        if (!logs) throw new Error(`sendTransaction's error carried no logs: ${thrown.message}`);
        const parsed = AnchorError.parse(logs);
        if (!parsed) throw new Error(`no Anchor error in the logs: ${JSON.stringify(logs)}`);
        // Logs carry the Rust name; the camel-cased IDL does not, the raw one does.
        const expected = rewards.rawIdl.errors?.find((error) => error.name === "NothingToClaim");
        expectEq("error name", parsed.error.errorCode.code, "NothingToClaim");
        expectEq("error number", parsed.error.errorCode.number, expected?.code);
        expectEq("error program", parsed.program, rewards.programId);
        return `refused in preflight: ${parsed.error.errorCode.code} (${parsed.error.errorCode.number}): ${parsed.error.errorMessage}`;
      },
    ],
    [
      "submit_price by a non-oracle (lands, must fail)",
      async () => {
        // Sent without preflight, so it lands in a block, pays its fee and
        // fails there; the error is read back from getTransaction's logs.
        const balanceBefore = await connection.getBalance(operator.publicKey, "confirmed");
        const tx = await proofOracle.methods
          .submitPrice({ price: new BN(1) })
          .accounts({ oracle: operator.publicKey })
          .transaction();
        const { signature, err } = await sendLanded(tx, [operator]);
        if (!err) throw new Error(`${signature} succeeded: the operator is no oracle`);
        const landed = await connection.getTransaction(signature, {
          maxSupportedTransactionVersion: 0,
          commitment: "confirmed",
        });
        if (!landed?.meta) throw new Error(`getTransaction(${signature}) returned no transaction or meta`);
        expectEq("meta.err", landed.meta.err, err);
        const logs = landed.meta.logMessages;
        if (!logs) throw new Error(`the landed transaction carries no logs`);
        const parsed = AnchorError.parse(logs);
        if (!parsed) throw new Error(`no Anchor error in the logs: ${JSON.stringify(logs)}`);
        // translateError, as Anchor's own rpc() does, from the same logs.
        const idlErrors = new Map(
          (proofOracle.rawIdl.errors ?? []).map((error) => [error.code, error.msg ?? error.name]),
        );
        const translated: unknown = translateError({ logs }, idlErrors);
        if (!(translated instanceof AnchorError)) {
          throw new Error(`translateError gave ${String(translated)}, not an AnchorError`);
        }
        const expected = proofOracle.rawIdl.errors?.find((error) => error.name === "NotAnOracle");
        for (const [how, error] of [["parse", parsed], ["translateError", translated]] as const) {
          expectEq(`${how}: error name`, error.error.errorCode.code, "NotAnOracle");
          expectEq(`${how}: error number`, error.error.errorCode.number, expected?.code);
          expectEq(`${how}: error message`, error.error.errorMessage, expected?.msg);
          expectEq(`${how}: error program`, error.program, proofOracle.programId);
        }
        // Custom program error 6000 + n, as the instruction error carries it.
        expectEq("meta.err", landed.meta.err, { InstructionError: [0, { Custom: expected?.code }] });
        const balanceAfter = await connection.getBalance(operator.publicKey, "confirmed");
        expectEq("fee paid", balanceBefore - balanceAfter, landed.meta.fee);
        return (
          `landed in slot ${landed.slot} and failed: ${parsed.error.errorCode.code} ` +
          `(${parsed.error.errorCode.number}) from getTransaction's logs; fee ${landed.meta.fee} paid (${signature})`
        );
      },
    ],
    [
      "submit_batch (oracle vote)",
      async () => {
        // Nothing was earned in the vote's epoch, so its batch carries the
        // claimed batch's wallets forward: same tree, a file of its own.
        const file = carryForward(claimBatch, BigInt(fixture.vote.epoch));
        mkdirSync(path.dirname(fixture.vote.batchFile), { recursive: true });
        writeFileSync(fixture.vote.batchFile, file);
        const commitment = {
          root: [...claimBatch.root.hash],
          leafCount: claimBatch.leaves.length,
          total: new BN(claimBatch.root.sum.toString()),
          proofDataHash: [...sha256Of(file)],
        };
        const epoch = new BN(fixture.vote.epoch);
        const tx = await proofOracle.methods
          .submitBatch({ epoch, commitment, uri: fixture.vote.uri })
          .accounts({ oracle: oracle.publicKey })
          .transaction();
        const signature = await send(tx, [oracle]);
        const events = await eventsOf(signature, proofOracle);
        const vote = theEvent<IdlEvents<ProofOracle>["batchVoteSubmitted"]>(events, "batchVoteSubmitted");
        expectEq("BatchVoteSubmitted.epoch", vote.epoch, epoch);
        expectEq("BatchVoteSubmitted.oracle", vote.oracle, oracle.publicKey);
        for (const field of ["root", "leafCount", "total", "proofDataHash"] as const) {
          expectEq(`BatchVoteSubmitted.commitment.${field}`, vote.commitment[field], commitment[field]);
        }
        expectEq("BatchVoteSubmitted.uri", vote.uri, fixture.vote.uri);
        expectEq("BatchVoteSubmitted.replaced", vote.replaced, false);
        expectEq("BatchVoteSubmitted.matchingVotes", vote.matchingVotes, 1);

        const config = await proofOracle.account.oracleConfig.fetch(
          PublicKey.findProgramAddressSync([Buffer.from("oracle_config")], proofOracle.programId)[0],
        );
        const stored = await proofOracle.account.epochBatch.fetch(batchAddress(fixture.vote.epoch));
        expectEq("batch votes", stored.votes.length, 1);
        const final = config.quorum === 1;
        expectEq("batch status", stored.status, final ? { final: {} } : { pending: {} });
        if (final) {
          const finalized = theEvent<IdlEvents<ProofOracle>["batchFinalized"]>(events, "batchFinalized");
          expectEq("BatchFinalized.epoch", finalized.epoch, epoch);
          expectEq("BatchFinalized.finalizedAt", finalized.finalizedAt, stored.finalizedAt);
          expectEq("batch commitment", stored.commitment.root, commitment.root);
        }
        return (
          `oracle ${short(oracle.publicKey)} voted for epoch ${fixture.vote.epoch} ` +
          `(${final ? "final at quorum 1" : `pending, quorum ${config.quorum}`}); ` +
          `BatchVoteSubmitted decoded (${signature})`
        );
      },
    ],
    [
      "cast_vote (governance)",
      async () => {
        const id = fixture.proposal.id;
        const proposal = PublicKey.findProgramAddressSync(
          [Buffer.from("proposal"), u64le(id)],
          governance.programId,
        )[0];
        const before = await governance.account.proposal.fetch(proposal);
        expectEq("proposal state", before.state, { voting: {} });
        // Only the voter and the proposal (its PDA's seed is its own id);
        // Anchor derives the config, the voter's positions and the vote
        // record, and reads the token mint from the config (`relations`).
        const method = governance.methods
          .castVote({ choice: { yes: {} } })
          .accountsPartial({ owner: voter.publicKey, proposal });
        const resolved = await method.pubkeys();
        const governanceConfig = await governance.account.governanceConfig.fetch(resolved.config!);
        expectEq("derived tokenMint", resolved.tokenMint, governanceConfig.tokenMint);
        expectEq("governance token", governanceConfig.tokenMint, rewardsConfig.tokenMint);
        const voteRecord = PublicKey.findProgramAddressSync(
          [Buffer.from("vote_record"), proposal.toBuffer(), voter.publicKey.toBuffer()],
          governance.programId,
        )[0];
        expectEq("derived voteRecord", resolved.voteRecord, voteRecord);
        const signature = await send(await method.transaction(), [voter]);

        const event = theEvent<IdlEvents<Governance>["voteCast"]>(
          await eventsOf(signature, governance),
          "voteCast",
        );
        expectEq("VoteCast.proposal", event.proposal, proposal);
        expectEq("VoteCast.voter", event.voter, voter.publicKey);
        expectEq("VoteCast.choice", event.choice, { yes: {} });
        if (event.power.lten(0)) throw new Error(`VoteCast.power is ${event.power}`);
        expectEq("VoteCast.yes", event.yes, before.yes.add(event.power));
        const after = await governance.account.proposal.fetch(proposal);
        expectEq("proposal yes", after.yes, event.yes);
        expectEq("proposal votes", after.votesCast, before.votesCast + 1);
        const record = await governance.account.voteRecord.fetch(voteRecord);
        expectEq("vote record power", record.power, event.power);
        expectEq("vote record choice", record.choice, { yes: {} });
        writeFileSync(
          fixture.proposal.resultFile,
          JSON.stringify({ proposal: id, voter: voter.publicKey.toBase58(), power: event.power.toString() }),
        );
        return (
          `wallet ${short(voter.publicKey)} voted yes on proposal ${id} with power ${event.power}; ` +
          `config, positions, vote record and mint derived from the IDL; VoteCast decoded (${signature})`
        );
      },
    ],
  ];

  let passed = 0;
  let failed = 0;
  for (const [name, run] of steps) {
    try {
      console.log(`ok   ${name}: ${await run()}`);
      passed++;
    } catch (error) {
      console.log(`FAIL ${name}: ${describeError(error)}`);
      failed++;
      break; // later steps build on earlier ones
    }
  }
  console.log(`ts-check: ${passed} passed, ${failed} failed, ${steps.length - passed - failed} skipped`);
  return failed === 0 ? 0 : 1;
}

main().then(
  // Exit explicitly: web3.js may keep its WebSocket open a little longer.
  (code) => process.exit(code),
  (error: unknown) => {
    console.log(`FAIL setup: ${describeError(error)}`);
    console.log("ts-check: 0 passed, 1 failed");
    process.exit(1);
  },
);
