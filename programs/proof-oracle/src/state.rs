use {
    crate::{constants::*, error::OracleError},
    anchor_lang::prelude::*,
    depin_pause::{PauseError, PauseState},
};

/// What the pause switch of the proof oracle can stop, one bit each in a pause
/// mask.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum PauseScope {
    /// `submit_batch` and `finalize_batch`.
    BatchVotes = 0,
    /// `submit_price`.
    Prices = 1,
}

impl PauseScope {
    pub const COUNT: u8 = 2;
    pub const ALL: u8 = (1 << Self::COUNT) - 1;

    pub fn bit(self) -> u8 {
        1 << self as u8
    }

    fn paused_error(self) -> OracleError {
        match self {
            Self::BatchVotes => OracleError::BatchVotesPaused,
            Self::Prices => OracleError::PricesPaused,
        }
    }
}

/// The proof oracle's error for a refused pause operation.
pub fn pause_error(error: PauseError) -> Error {
    match error {
        PauseError::InvalidScopes => error!(OracleError::InvalidPauseScopes),
        PauseError::NotAuthorityOrGuardian => error!(OracleError::NotAuthorityOrGuardian),
        PauseError::GuardianSpent => error!(OracleError::GuardianSpent),
        PauseError::InvalidGuardianPause => error!(OracleError::InvalidGuardianPause),
    }
}

/// The oracle set and the epoch clock, at `[SEED_CONFIG]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct OracleConfig {
    /// Manages the set and parameters, and can veto batches; the DAO later.
    pub authority: Pubkey,
    pub bump: u8,
    /// Matching votes that make a batch final (M of N).
    pub quorum: u8,
    /// Bumped by every change of the set.
    pub set_version: u32,
    /// Start of epoch 0 (unix seconds).
    pub genesis_timestamp: i64,
    /// Seconds per epoch; fixed at initialization (epoch numbers depend on it).
    pub epoch_length: i64,
    /// Seconds after finality during which the authority may reject a batch;
    /// rewards are claimable only after it.
    pub challenge_window: i64,
    /// Seconds after an epoch's end by which its batch must be final; after
    /// it, anyone may mark the batch expired.
    pub finality_deadline: i64,
    /// Oldest price (seconds) that still counts toward the median.
    pub price_max_staleness: i64,
    /// Fresh prices needed for a median.
    pub price_min_submissions: u8,
    #[max_len(MAX_ORACLES)]
    pub oracles: Vec<Pubkey>,
    /// For each oracle (same order), the set version since which it has
    /// been a member without interruption. Votes cast before count nothing,
    /// so an oracle removed and added back does not get its old votes back.
    #[max_len(MAX_ORACLES)]
    pub member_since: Vec<u32>,
    /// Pause switches of `PauseScope`, and the guardian.
    pub pause: PauseState,
}

/// What an oracle signs for an epoch: the reward tree and the data behind it.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub struct Commitment {
    /// Root hash of the Merkle-sum tree of cumulative rewards.
    pub root: [u8; 32],
    pub leaf_count: u32,
    /// Sum of all leaves (the root's sum).
    pub total: u64,
    /// SHA-256 of the published batch file, from which anyone can rebuild
    /// the tree and check the root.
    pub proof_data_hash: [u8; 32],
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, InitSpace, Debug)]
pub struct Vote {
    pub oracle: Pubkey,
    pub commitment: Commitment,
    pub set_version: u32,
    pub submitted_at: i64,
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
}

#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug, Default,
)]
pub enum BatchStatus {
    #[default]
    Pending,
    Final,
    Expired,
    Rejected,
}

/// The votes and result of one epoch, at `[SEED_BATCH, epoch]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct EpochBatch {
    pub epoch: u64,
    pub bump: u8,
    /// Set when the account is first written (it is created on demand).
    pub opened: bool,
    pub status: BatchStatus,
    /// The final commitment (zero until final).
    pub commitment: Commitment,
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
    pub finalized_at: i64,
    /// End of the challenge window, fixed at finality from the window then
    /// in force, so a later change of `challenge_window` never reopens a
    /// veto or closes claims of a batch already final (0 until final).
    pub challenge_ends_at: i64,
    /// Every current oracle's latest vote, conflicting ones included.
    #[max_len(MAX_ORACLES)]
    pub votes: Vec<Vote>,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, InitSpace, Debug)]
pub struct PriceEntry {
    pub oracle: Pubkey,
    /// Millionths of a dollar per whole token (`PRICE_DECIMALS`).
    pub price: u64,
    pub updated_at: i64,
}

/// Each oracle's latest price, at `[SEED_PRICE_FEED]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct PriceFeed {
    pub bump: u8,
    #[max_len(MAX_ORACLES)]
    pub entries: Vec<PriceEntry>,
}

pub fn is_valid_duration(seconds: i64, allow_zero: bool) -> bool {
    (if allow_zero {
        seconds >= 0
    } else {
        seconds > 0
    }) && seconds <= MAX_DURATION
}

/// Checks an oracle set: 1..=16 distinct, non-default keys, 1 ≤ M ≤ N.
pub fn validate_oracle_set(oracles: &[Pubkey], quorum: u8) -> Result<()> {
    require!(
        !oracles.is_empty() && oracles.len() <= MAX_ORACLES,
        OracleError::InvalidOracleCount
    );
    for (index, oracle) in oracles.iter().enumerate() {
        require!(
            *oracle != Pubkey::default() && !oracles[..index].contains(oracle),
            OracleError::InvalidOracle
        );
    }
    require!(
        quorum >= 1 && usize::from(quorum) <= oracles.len(),
        OracleError::InvalidQuorum
    );
    Ok(())
}

impl OracleConfig {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Fails with the scope's named error if it is paused at `now`.
    pub fn require_running(&self, scope: PauseScope, now: i64) -> Result<()> {
        if self.pause.is_paused(scope as u8, now) {
            return Err(error!(scope.paused_error()));
        }
        Ok(())
    }

    /// Fresh prices a median needs: the configured minimum, but never fewer
    /// than the batch quorum, so no oracle short of a quorum sets the price
    /// (with `price_min_submissions = 1` a lone fresh oracle would).
    pub fn price_quorum(&self) -> usize {
        usize::from(self.price_min_submissions.max(self.quorum))
    }

    pub fn is_oracle(&self, key: &Pubkey) -> bool {
        self.oracles.contains(key)
    }

    /// Whether a vote cast by `oracle` under `set_version` still counts: the
    /// oracle is a member and has been since before the vote.
    pub fn vote_counts(&self, oracle: &Pubkey, set_version: u32) -> bool {
        self.oracles
            .iter()
            .position(|member| member == oracle)
            .and_then(|index| self.member_since.get(index))
            .is_some_and(|since| *since <= set_version)
    }

    /// Replaces the set: members that stay keep their `member_since`, new
    /// (or returning) ones start at the new version.
    pub fn replace_set(&mut self, oracles: Vec<Pubkey>, quorum: u8) -> Result<()> {
        let version = self
            .set_version
            .checked_add(1)
            .ok_or(OracleError::Overflow)?;
        let member_since = oracles
            .iter()
            .map(|oracle| {
                self.oracles
                    .iter()
                    .position(|member| member == oracle)
                    .and_then(|index| self.member_since.get(index).copied())
                    .unwrap_or(version)
            })
            .collect();
        self.oracles = oracles;
        self.member_since = member_since;
        self.quorum = quorum;
        self.set_version = version;
        Ok(())
    }

    /// Unix time at which `epoch` ends.
    pub fn epoch_end(&self, epoch: u64) -> Result<i64> {
        i64::try_from(epoch)
            .ok()
            .and_then(|epoch| epoch.checked_add(1))
            .and_then(|epochs| epochs.checked_mul(self.epoch_length))
            .and_then(|elapsed| elapsed.checked_add(self.genesis_timestamp))
            .ok_or_else(|| error!(OracleError::Overflow))
    }

    /// Unix time after which `epoch`'s batch can no longer become final.
    pub fn finality_deadline_of(&self, epoch: u64) -> Result<i64> {
        self.epoch_end(epoch)?
            .checked_add(self.finality_deadline)
            .ok_or_else(|| error!(OracleError::Overflow))
    }

    /// The epoch running at `now`, if genesis has passed.
    pub fn current_epoch(&self, now: i64) -> Option<u64> {
        // Unsigned division: SBPF has no signed division instruction.
        let elapsed = u64::try_from(now.checked_sub(self.genesis_timestamp)?).ok()?;
        let length = u64::try_from(self.epoch_length).ok()?;
        elapsed.checked_div(length)
    }

    pub fn invariant(&self) -> Result<()> {
        validate_oracle_set(&self.oracles, self.quorum)
            .map_err(|_| error!(OracleError::InvariantViolated))?;
        require!(
            self.member_since.len() == self.oracles.len()
                && self
                    .member_since
                    .iter()
                    .all(|since| *since >= 1 && *since <= self.set_version),
            OracleError::InvariantViolated
        );
        require!(
            is_valid_duration(self.epoch_length, false)
                && is_valid_duration(self.challenge_window, true)
                && is_valid_duration(self.finality_deadline, true)
                && is_valid_duration(self.price_max_staleness, false)
                && self.price_min_submissions >= 1
                && usize::from(self.price_min_submissions) <= self.oracles.len()
                && self.pause.invariant(PauseScope::COUNT),
            OracleError::InvariantViolated
        );
        Ok(())
    }
}

impl EpochBatch {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Drops votes that no longer count (their oracle left the set, even if
    /// it came back since): they never count again.
    pub fn prune_votes(&mut self, config: &OracleConfig) {
        self.votes
            .retain(|vote| config.vote_counts(&vote.oracle, vote.set_version));
    }

    /// Votes for `commitment` (callers prune first).
    pub fn matching_votes(&self, commitment: &Commitment) -> u8 {
        // At most MAX_ORACLES (16) votes.
        self.votes
            .iter()
            .filter(|vote| vote.commitment == *commitment)
            .count() as u8
    }

    /// A commitment with at least `quorum` votes, with the URI of its first
    /// vote.
    pub fn quorum_commitment(&self, quorum: u8) -> Option<(Commitment, String, u8)> {
        self.votes.iter().find_map(|vote| {
            let votes = self.matching_votes(&vote.commitment);
            (votes >= quorum).then(|| (vote.commitment, vote.uri.clone(), votes))
        })
    }

    /// Whether rewards may be claimed against this batch at `now`: final,
    /// not rejected, and past its challenge window.
    pub fn is_claimable(&self, now: i64) -> bool {
        self.status == BatchStatus::Final && now >= self.challenge_ends_at
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.votes.len() <= MAX_ORACLES && self.uri.len() <= MAX_URI_LEN,
            OracleError::InvariantViolated
        );
        for (index, vote) in self.votes.iter().enumerate() {
            require!(
                !self.votes[..index]
                    .iter()
                    .any(|other| other.oracle == vote.oracle)
                    && vote.uri.len() <= MAX_URI_LEN,
                OracleError::InvariantViolated
            );
        }
        if self.status == BatchStatus::Final {
            require!(
                self.commitment.leaf_count >= 1,
                OracleError::InvariantViolated
            );
        }
        Ok(())
    }
}

impl PriceFeed {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// The median of the current oracles' prices that are at most
    /// `price_max_staleness` old at `now`. With an even count it is the
    /// lower of the two middle prices: the conservative side for anyone
    /// buying data credits with tokens.
    pub fn median(&self, config: &OracleConfig, now: i64) -> Result<u64> {
        let mut fresh = [0u64; MAX_ORACLES];
        let mut fresh_count = 0usize;
        let mut posted = 0usize;
        for entry in self
            .entries
            .iter()
            .filter(|entry| config.is_oracle(&entry.oracle))
        {
            posted += 1;
            let age = now.checked_sub(entry.updated_at);
            if age.is_some_and(|age| (0..=config.price_max_staleness).contains(&age))
                && fresh_count < MAX_ORACLES
            {
                fresh[fresh_count] = entry.price;
                fresh_count += 1;
            }
        }
        let minimum = config.price_quorum();
        require!(posted >= minimum, OracleError::TooFewPrices);
        require!(fresh_count >= minimum, OracleError::StalePrice);
        let prices = &mut fresh[..fresh_count];
        prices.sort_unstable();
        Ok(prices[(fresh_count - 1) / 2])
    }

    pub fn prune(&mut self, config: &OracleConfig) {
        self.entries.retain(|entry| config.is_oracle(&entry.oracle));
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.entries.len() <= MAX_ORACLES && self.entries.iter().all(|entry| entry.price > 0),
            OracleError::InvariantViolated
        );
        Ok(())
    }
}

impl EpochBatch {
    /// Makes the batch final if a commitment has the quorum among current
    /// oracles; returns how many votes made it final.
    pub fn try_finalize(&mut self, config: &OracleConfig, now: i64) -> Option<u8> {
        self.prune_votes(config);
        let (commitment, uri, votes) = self.quorum_commitment(config.quorum)?;
        self.status = BatchStatus::Final;
        self.commitment = commitment;
        self.uri = uri;
        self.finalized_at = now;
        // Both at most a year past any real clock (`MAX_DURATION`).
        self.challenge_ends_at = now.saturating_add(config.challenge_window);
        Some(votes)
    }

    /// Fails unless the batch still takes votes.
    pub fn require_pending(&self) -> Result<()> {
        match self.status {
            BatchStatus::Pending => Ok(()),
            BatchStatus::Final => err!(OracleError::BatchAlreadyFinal),
            BatchStatus::Expired => err!(OracleError::BatchExpired),
            BatchStatus::Rejected => err!(OracleError::BatchRejected),
        }
    }

    /// Records `epoch` and `bump` the first time the account is written.
    pub fn open(&mut self, epoch: u64, bump: u8) {
        if !self.opened {
            self.epoch = epoch;
            self.bump = bump;
            self.opened = true;
        }
    }
}
