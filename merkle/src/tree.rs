use {
    crate::{parent, path, Leaf, MerkleError, Node},
    alloc::vec::Vec,
};

/// A whole tree, kept level by level (leaves first) to serve proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleSumTree {
    levels: Vec<Vec<Node>>,
}

/// How a tree's hashes are computed off-chain; every way gives the same
/// hashes (tested), only the speed differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hashing {
    /// One message at a time with the `sha2` crate, which uses the CPU's
    /// SHA extensions (SHA-NI) where it has them.
    OneAtATime,
    /// Eight messages at once in AVX2 lanes: faster than one at a time
    /// without SHA extensions, slower with them.
    EightLanes,
}

impl Hashing {
    /// The fastest way on this CPU, measured once per process on a few
    /// thousand leaves (about a millisecond): whether eight AVX2 lanes beat
    /// one message at a time depends on the CPU's SHA extensions and on
    /// how fast its vector unit is, so it is timed, not guessed.
    pub fn fastest() -> Self {
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        {
            static FASTEST: std::sync::OnceLock<Hashing> = std::sync::OnceLock::new();
            *FASTEST.get_or_init(|| {
                if !Hashing::EightLanes.available() {
                    return Hashing::OneAtATime;
                }
                let sample: Vec<Leaf> = (0..2_048u32)
                    .map(|index| {
                        let mut recipient = [0u8; 32];
                        recipient[..4].copy_from_slice(&index.to_le_bytes());
                        Leaf {
                            recipient,
                            amount: u64::from(index),
                        }
                    })
                    .collect();
                let best = |hashing: Hashing| {
                    (0..3)
                        .map(|_| {
                            let started = std::time::Instant::now();
                            std::hint::black_box(leaf_nodes_using(&sample, hashing));
                            started.elapsed()
                        })
                        .min()
                        .unwrap_or_default()
                };
                if best(Hashing::EightLanes) < best(Hashing::OneAtATime) {
                    Hashing::EightLanes
                } else {
                    Hashing::OneAtATime
                }
            })
        }
        #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
        Hashing::OneAtATime
    }

    /// Whether this CPU can hash this way.
    pub fn available(self) -> bool {
        match self {
            Hashing::OneAtATime => true,
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            Hashing::EightLanes => crate::simd::available(),
            #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
            Hashing::EightLanes => false,
        }
    }

    /// In words, for benchmarks.
    pub fn describe(self) -> &'static str {
        match self {
            Hashing::OneAtATime => {
                #[cfg(all(feature = "std", target_arch = "x86_64"))]
                if std::is_x86_feature_detected!("sha") {
                    return "one at a time, SHA extensions";
                }
                "one at a time, portable"
            }
            Hashing::EightLanes => "AVX2, 8 lanes",
        }
    }

    fn lanes(self) -> bool {
        self == Hashing::EightLanes && self.available()
    }
}

/// Hashes of many leaves, the fastest way this CPU has.
pub fn leaf_nodes(leaves: &[Leaf]) -> Vec<Node> {
    leaf_nodes_using(leaves, Hashing::fastest())
}

/// Hashes of many leaves, `hashing`'s way (one at a time where it is not
/// available).
pub fn leaf_nodes_using(leaves: &[Leaf], hashing: Hashing) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(leaves.len());
    let mut rest = leaves;
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if hashing.lanes() {
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
    parent_level_using(level, Hashing::fastest())
}

/// [`parent_level`], `hashing`'s way.
pub fn parent_level_using(level: &[Node], hashing: Hashing) -> Result<Vec<Node>, MerkleError> {
    let mut next = Vec::with_capacity(level.len().div_ceil(2));
    let mut rest = level;
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if hashing.lanes() {
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
    /// The tree of `leaves`, hashed the fastest way this CPU has.
    pub fn build(leaves: &[Leaf]) -> Result<Self, MerkleError> {
        Self::build_using(leaves, Hashing::fastest())
    }

    /// [`MerkleSumTree::build`], hashing `hashing`'s way (benchmarks).
    pub fn build_using(leaves: &[Leaf], hashing: Hashing) -> Result<Self, MerkleError> {
        if leaves.is_empty() {
            return Err(MerkleError::Empty);
        }
        if u32::try_from(leaves.len()).is_err() {
            return Err(MerkleError::TooManyLeaves);
        }
        Self::from_leaf_nodes_using(leaf_nodes_using(leaves, hashing), hashing)
    }

    /// Builds the levels above already hashed leaves.
    pub fn from_leaf_nodes(nodes: Vec<Node>) -> Result<Self, MerkleError> {
        Self::from_leaf_nodes_using(nodes, Hashing::fastest())
    }

    fn from_leaf_nodes_using(nodes: Vec<Node>, hashing: Hashing) -> Result<Self, MerkleError> {
        if nodes.is_empty() {
            return Err(MerkleError::Empty);
        }
        let mut levels = Vec::with_capacity(33);
        levels.push(nodes);
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let next = parent_level_using(level, hashing)?;
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
