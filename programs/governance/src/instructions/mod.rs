pub mod activate_proposal;
pub mod add_instruction;
pub mod cancel_proposal;
pub mod cast_vote;
pub mod create_proposal;
pub mod execute_proposal;
pub mod expire_proposal;
pub mod finalize_vote;
pub mod initialize_governance;
pub mod lock_tokens;
pub mod merge_positions;
pub mod queue_proposal;
pub mod relock_position;
pub mod update_governance;
pub mod withdraw_position;

mod common;

pub use {
    activate_proposal::*, add_instruction::*, cancel_proposal::*, cast_vote::*, common::*,
    create_proposal::*, execute_proposal::*, expire_proposal::*, finalize_vote::*,
    initialize_governance::*, lock_tokens::*, merge_positions::*, queue_proposal::*,
    relock_position::*, update_governance::*, withdraw_position::*,
};
