use {
    crate::{parent, path, Leaf, MerkleError, Node},
    alloc::vec::Vec,
};

/// A whole tree, kept level by level (leaves first) to serve proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleSumTree {
    levels: Vec<Vec<Node>>,
}

/// Hashes of many leaves; eight at a time with AVX2 where the CPU has it.
pub fn leaf_nodes(leaves: &[Leaf]) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(leaves.len());
    let mut rest = leaves;
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if crate::simd::available() {
        let mut chunks = leaves.chunks_exact(8);
        for chunk in &mut chunks {
            let preimages: [_; 8] = core::array::from_fn(|lane| chunk[lane].preimage());
            // SAFETY: AVX2 support was checked above.
            let hashes = unsafe { crate::simd::hash8(&preimages) };
            for (leaf, hash) in chunk.iter().zip(hashes) {
                nodes.push(Node {
                    hash,
                    sum: leaf.amount,
                });
            }
        }
        rest = chunks.remainder();
    }
    nodes.extend(rest.iter().map(Leaf::node));
    nodes
}

/// The level above `level`: pairs hashed, an odd last node promoted.
pub fn parent_level(level: &[Node]) -> Result<Vec<Node>, MerkleError> {
    let mut next = Vec::with_capacity(level.len().div_ceil(2));
    let mut rest = level;
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if crate::simd::available() {
        let mut chunks = level.chunks_exact(16);
        for chunk in &mut chunks {
            let mut sums = [0u64; 8];
            for (lane, sum) in sums.iter_mut().enumerate() {
                *sum = chunk[2 * lane]
                    .sum
                    .checked_add(chunk[2 * lane + 1].sum)
                    .ok_or(MerkleError::SumOverflow)?;
            }
            let preimages: [_; 8] = core::array::from_fn(|lane| {
                crate::node_preimage(&chunk[2 * lane], &chunk[2 * lane + 1])
            });
            // SAFETY: AVX2 support was checked above.
            let hashes = unsafe { crate::simd::hash8(&preimages) };
            for (hash, sum) in hashes.into_iter().zip(sums) {
                next.push(Node { hash, sum });
            }
        }
        rest = chunks.remainder();
    }
    for pair in rest.chunks(2) {
        next.push(match pair {
            [left, right] => parent(left, right).ok_or(MerkleError::SumOverflow)?,
            [single] => *single,
            _ => unreachable!("chunks(2) yields one or two nodes"),
        });
    }
    Ok(next)
}

impl MerkleSumTree {
    pub fn build(leaves: &[Leaf]) -> Result<Self, MerkleError> {
        if leaves.is_empty() {
            return Err(MerkleError::Empty);
        }
        if u32::try_from(leaves.len()).is_err() {
            return Err(MerkleError::TooManyLeaves);
        }
        Self::from_leaf_nodes(leaf_nodes(leaves))
    }

    /// Builds the levels above already hashed leaves.
    pub fn from_leaf_nodes(nodes: Vec<Node>) -> Result<Self, MerkleError> {
        if nodes.is_empty() {
            return Err(MerkleError::Empty);
        }
        let mut levels = Vec::with_capacity(33);
        levels.push(nodes);
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let next = parent_level(level)?;
            levels.push(next);
        }
        Ok(Self { levels })
    }

    pub fn root(&self) -> Node {
        self.levels[self.levels.len() - 1][0]
    }

    pub fn leaf_count(&self) -> u32 {
        // Bounded by `build`.
        self.levels[0].len() as u32
    }

    /// All levels, leaves first, root last.
    pub fn levels(&self) -> &[Vec<Node>] {
        &self.levels
    }

    /// The proof of leaf `index`: its siblings from the bottom up.
    pub fn proof(&self, index: u32) -> Result<Vec<Node>, MerkleError> {
        if index >= self.leaf_count() {
            return Err(MerkleError::IndexOutOfRange);
        }
        let mut proof = Vec::with_capacity(32);
        let mut position = index as usize;
        for (level, step) in self.levels.iter().zip(path(index, self.leaf_count())) {
            if let Some(sibling_on_left) = step {
                let sibling = if sibling_on_left {
                    position - 1
                } else {
                    position + 1
                };
                proof.push(level[sibling]);
            }
            position /= 2;
        }
        Ok(proof)
    }
}
