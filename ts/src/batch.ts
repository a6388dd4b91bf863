// The oracles' published batch file (layout in sdk/src/batch.rs, version 2)
// and the Merkle-sum tree of merkle/src/lib.rs: what a TypeScript wallet
// needs to claim, i.e. its leaf index, cumulative amount and proof.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { PublicKey } from "@solana/web3.js";

const MAGIC = Buffer.from("DPNBATCH");
const VERSION = 2;
const HEADER_LEN = 8 + 4 + 8 + 4 + 8 + 32 + 4;
const LEAF_LEN = 40;
const DEVICE_LEN = 80;
const NODE_LEN = 40;
const NODE_PREFIX = 0x01;
const LEAF_PREFIX = 0x02;

export interface MerkleNode {
  hash: Buffer;
  sum: bigint;
}

export interface Leaf {
  wallet: PublicKey;
  amount: bigint;
}

export interface BatchFile {
  epoch: bigint;
  root: MerkleNode;
  leaves: Leaf[];
  deviceCount: number;
  /** Every level of the tree, leaves first, root last. */
  levels: MerkleNode[][];
  bytes: Buffer;
}

export interface WalletProof {
  index: number;
  amount: bigint;
  proof: MerkleNode[];
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function u64(value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

export function leafNode(leaf: Leaf): MerkleNode {
  return {
    hash: sha256(Buffer.from([LEAF_PREFIX]), leaf.wallet.toBuffer(), u64(leaf.amount)),
    sum: leaf.amount,
  };
}

function parent(left: MerkleNode, right: MerkleNode): MerkleNode {
  return {
    hash: sha256(Buffer.from([NODE_PREFIX]), left.hash, u64(left.sum), right.hash, u64(right.sum)),
    sum: left.sum + right.sum,
  };
}

/** Reads a batch file; the stored levels are taken as they are (the proof is checked against the root). */
export function readBatch(path: string): BatchFile {
  const bytes = readFileSync(path);
  if (bytes.length < HEADER_LEN || !bytes.subarray(0, 8).equals(MAGIC)) {
    throw new Error(`${path}: not a batch file`);
  }
  const version = bytes.readUInt32LE(8);
  if (version !== VERSION) throw new Error(`${path}: batch file version ${version}, expected ${VERSION}`);
  const epoch = bytes.readBigUInt64LE(12);
  const leafCount = bytes.readUInt32LE(20);
  const root = { sum: bytes.readBigUInt64LE(24), hash: Buffer.from(bytes.subarray(32, 64)) };
  const deviceCount = bytes.readUInt32LE(64);
  const leaves: Leaf[] = [];
  for (let i = 0, at = HEADER_LEN; i < leafCount; i++, at += LEAF_LEN) {
    leaves.push({
      wallet: new PublicKey(bytes.subarray(at, at + 32)),
      amount: bytes.readBigUInt64LE(at + 32),
    });
  }
  // The leaf level is not stored: it is hashed from the leaves.
  const levels: MerkleNode[][] = [leaves.map(leafNode)];
  let at = HEADER_LEN + leafCount * LEAF_LEN + deviceCount * DEVICE_LEN;
  for (let width = leafCount; width > 1; ) {
    width = Math.ceil(width / 2);
    const level: MerkleNode[] = [];
    for (let i = 0; i < width; i++, at += NODE_LEN) {
      level.push({ hash: Buffer.from(bytes.subarray(at, at + 32)), sum: bytes.readBigUInt64LE(at + 32) });
    }
    levels.push(level);
  }
  if (at !== bytes.length) throw new Error(`${path}: ${bytes.length} bytes, its header announces ${at}`);
  return { epoch, root, leaves, deviceCount, levels, bytes };
}

/** A wallet's leaf and proof: its sibling at each level, none where it is the promoted odd last node. */
export function proofFor(batch: BatchFile, wallet: PublicKey): WalletProof | null {
  const index = batch.leaves.findIndex((leaf) => leaf.wallet.equals(wallet));
  if (index < 0) return null;
  const proof: MerkleNode[] = [];
  let position = index;
  for (const level of batch.levels.slice(0, -1)) {
    const sibling = position % 2 === 1 ? position - 1 : position + 1;
    if (sibling < level.length) proof.push(level[sibling]);
    position = Math.floor(position / 2);
  }
  return { index, amount: batch.leaves[index].amount, proof };
}

/** The root a leaf and its proof lead to (merkle::compute_root). */
export function computeRoot(leaf: Leaf, index: number, leafCount: number, proof: MerkleNode[]): MerkleNode {
  let node = leafNode(leaf);
  let used = 0;
  const sibling = (): MerkleNode => {
    if (used >= proof.length) throw new Error("proof too short");
    return proof[used++];
  };
  for (let position = index, width = leafCount; width > 1; position >>= 1, width = Math.ceil(width / 2)) {
    if (position % 2 === 1) node = parent(sibling(), node);
    else if (position + 1 < width) node = parent(node, sibling());
  }
  if (used !== proof.length) throw new Error("proof too long");
  return node;
}

/**
 * The next epoch's batch file when no device earned anything in it: the
 * same wallets and totals carried forward, no per-device lines, the same
 * tree (what `BatchFile::build(epoch, Some(previous), vec![])` writes).
 */
export function carryForward(previous: BatchFile, epoch: bigint): Buffer {
  const devicesAt = HEADER_LEN + previous.leaves.length * LEAF_LEN;
  const header = Buffer.from(previous.bytes.subarray(0, HEADER_LEN));
  header.writeBigUInt64LE(epoch, 12);
  header.writeUInt32LE(0, 64);
  return Buffer.concat([
    header,
    previous.bytes.subarray(HEADER_LEN, devicesAt),
    previous.bytes.subarray(devicesAt + previous.deviceCount * DEVICE_LEN),
  ]);
}

export function sha256Of(bytes: Buffer): Buffer {
  return sha256(bytes);
}
