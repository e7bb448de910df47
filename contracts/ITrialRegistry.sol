// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

/**
 * @title ITrialRegistry
 * @notice The part of TrialRegistry that other TrialLedger contracts rely on.
 * @dev Kept to the one question ConsentRegistry asks, so ConsentRegistry depends on TrialRegistry's
 * behaviour, not on its storage layout or its build.
 */
interface ITrialRegistry {
    /// @notice Whether `trialId` has been registered (and so whether enrolment may start).
    function isRegistered(bytes32 trialId) external view returns (bool);
}
