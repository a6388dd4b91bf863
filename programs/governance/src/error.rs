use anchor_lang::prelude::*;

/// A variant's code is 6000 plus its position, and clients match on codes:
/// new variants go at the end, so existing codes never change.
#[error_code]
pub enum GovernanceError {
    #[msg("Signer is not the program's upgrade authority")]
    NotUpgradeAuthority,
    #[msg("Signer is not the DAO authority")]
    NotDaoAuthority,
    #[msg("Voting power parameters out of range")]
    InvalidPowerParams,
    #[msg("Proposal rules out of range")]
    InvalidProposalRules,
    #[msg("Allowed programs: at most 8, no duplicates, not governance itself")]
    InvalidAllowedPrograms,
    #[msg("Token account has the wrong mint")]
    WrongMint,
    #[msg("Amount is zero")]
    ZeroAmount,
    #[msg("Lockup duration is outside the configured bounds")]
    InvalidLockup,
    #[msg("Wallet already has the maximum number of positions")]
    TooManyPositions,
    #[msg("No position at this index")]
    UnknownPosition,
    #[msg("New lockup would end earlier than the current one")]
    LockupShortened,
    #[msg("Cannot merge a position into itself")]
    SamePosition,
    #[msg("Position is still locked")]
    StillLocked,
    #[msg("Signer does not own this voter account")]
    NotOwner,
    #[msg("Voting power is below the minimum to create a proposal")]
    InsufficientPower,
    #[msg("No position stays locked until voting ends")]
    NoVotingPower,
    #[msg("Title is empty or too long, or description is too long")]
    InvalidText,
    #[msg("Signer is not the proposer")]
    NotProposer,
    #[msg("Proposal is not a draft")]
    NotDraft,
    #[msg("Proposal is not in voting")]
    NotVoting,
    #[msg("Proposal has not succeeded")]
    NotSucceeded,
    #[msg("Proposal is not queued")]
    NotQueued,
    #[msg("Voting period has ended")]
    VotingEnded,
    #[msg("Voting period has not ended")]
    VotingNotEnded,
    #[msg("Timelock has not elapsed")]
    TimelockNotElapsed,
    #[msg("Execution window has passed; the proposal expired")]
    ProposalExpired,
    #[msg("Proposal has not expired")]
    NotExpired,
    #[msg("Proposal has the maximum number of instructions")]
    TooManyInstructions,
    #[msg("Instruction has too many accounts or too much data")]
    InstructionTooLarge,
    #[msg("Instruction targets a program the DAO may not call")]
    ProgramNotAllowed,
    #[msg("A proposal may call governance only to update its configuration")]
    SelfCallForbidden,
    #[msg("Only the DAO authority may sign a stored instruction")]
    ForeignSigner,
    #[msg("Accounts passed at execution differ from the stored ones")]
    AccountMismatch,
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("Vault holds fewer tokens than are locked")]
    VaultShortfall,
    #[msg("State invariant violated")]
    InvariantViolated,
    #[msg("Voting time is over; the proposal can no longer be cancelled")]
    CancelWindowClosed,
    #[msg("Proposer's voting power is below the minimum to open the vote")]
    ProposerPowerTooLow,
}
