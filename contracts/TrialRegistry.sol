// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

/**
 * @title TrialRegistry
 * @notice Public, append-only evidence for TrialLedger: batched Merkle roots (dataset releases,
 * audit-log tree heads, other digests) with the block that anchored them, and each registered
 * trial's chain of record digests. Anyone can read it to check a receipt without trusting the portal.
 * @dev Holds digests only, never personal data. Nothing here can be changed or deleted once written:
 * that is the point — an anchor or a version proves that a record existed in that form by that block.
 * There is no upgrade path or admin override on purpose; a new contract would start a new history.
 */
contract TrialRegistry {
    /// @dev One storage slot (64 + 64 + 32 bits), so anchoring costs a single new SSTORE.
    struct Anchor {
        uint64 blockNumber;
        uint64 blockTime;
        uint32 leafCount;
    }

    /// @dev Two slots: the digest, and version + times packed (32 + 64 + 64 bits). `version` 0 means
    /// "not registered", so no separate flag is needed.
    struct Trial {
        bytes32 currentDigest;
        uint32 version;
        uint64 registeredAt;
        uint64 updatedAt;
    }

    /// @notice The deployer. It decides who may write (relayers); it cannot alter anything written.
    /// @dev Immutable: no ownership transfer, so there is no second key whose theft rewrites who may write.
    address public immutable owner;

    /// @notice Accounts allowed to anchor, register and amend (the portal's relayer keys).
    mapping(address account => bool allowed) public isRelayer;

    /// @notice When a root was anchored and over how many leaves; all zero when it never was.
    /// @return blockNumber the anchoring block
    /// @return blockTime that block's timestamp
    /// @return leafCount how many digests the root covers
    mapping(bytes32 root => Anchor) public anchorOf;

    /// @notice A trial's current state; all zero when it is not registered.
    /// @return currentDigest digest of the latest version of the record
    /// @return version 1 on registration, +1 per amendment
    /// @return registeredAt block time of the first registration (never changes)
    /// @return updatedAt block time of the latest version
    mapping(bytes32 trialId => Trial) public trialOf;

    event RelayerSet(address indexed relayer, bool allowed);
    event RootAnchored(bytes32 indexed root, uint32 leafCount, uint64 blockTime);
    event TrialRegistered(bytes32 indexed trialId, bytes32 recordDigest, uint64 registeredAt);
    event TrialAmended(
        bytes32 indexed trialId, uint32 version, bytes32 previousDigest, bytes32 newDigest, uint64 amendedAt
    );

    error NotOwner();
    error NotRelayer(address caller);
    error ZeroRoot();
    error ZeroLeafCount();
    error AlreadyAnchored(bytes32 root);
    error ZeroTrialId();
    error ZeroDigest();
    error AlreadyRegistered(bytes32 trialId);
    error NotRegistered(bytes32 trialId);
    error WrongPreviousDigest(bytes32 trialId, bytes32 expected, bytes32 given);
    error UnchangedDigest(bytes32 trialId);

    modifier onlyRelayer() {
        if (!isRelayer[msg.sender]) revert NotRelayer(msg.sender);
        _;
    }

    /// @dev The deployer starts as a relayer so a local chain where deployer = relayer works at once.
    constructor() {
        owner = msg.sender;
        isRelayer[msg.sender] = true;
        emit RelayerSet(msg.sender, true);
    }

    /**
     * @notice Allows or revokes a relayer.
     * @dev Revoking is how a leaked relayer key is cut off; what it already wrote stays, as it must.
     */
    function setRelayer(address relayer, bool allowed) external {
        if (msg.sender != owner) revert NotOwner();
        isRelayer[relayer] = allowed;
        emit RelayerSet(relayer, allowed);
    }

    /**
     * @notice Records that `root`, the Merkle root of `leafCount` digests, existed at this block.
     * @dev Refusing a second anchoring keeps the first (earliest) time, which is the one a timestamp
     * proof needs, and gives exactly-once anchoring: a worker that crashed after sending checks
     * `anchorOf(root)` (or gets AlreadyAnchored) instead of paying for a duplicate. The zero root
     * and an empty batch are refused because they almost certainly come from a bug upstream, and the
     * zero root would be indistinguishable from "unknown" in `anchorOf`.
     */
    function anchorRoot(bytes32 root, uint32 leafCount) external onlyRelayer {
        if (root == bytes32(0)) revert ZeroRoot();
        if (leafCount == 0) revert ZeroLeafCount();
        Anchor storage anchor = anchorOf[root];
        if (anchor.blockNumber != 0) revert AlreadyAnchored(root);
        uint64 blockTime = uint64(block.timestamp);
        anchor.blockNumber = uint64(block.number);
        anchor.blockTime = blockTime;
        anchor.leafCount = leafCount;
        emit RootAnchored(root, leafCount, blockTime);
    }

    /**
     * @notice Registers the first version of a trial's record.
     * @param trialId sha256 of the registration number (e.g. "TLR-2026-00042"), so anyone can derive it.
     * @param recordDigest SHA-256 of the canonical registration record (which itself names the file digests).
     * @dev `registeredAt` is the block time and never changes afterwards: it is the pre-registration
     * evidence (the record existed before enrolment and before results).
     */
    function registerTrial(bytes32 trialId, bytes32 recordDigest) external onlyRelayer {
        if (trialId == bytes32(0)) revert ZeroTrialId();
        if (recordDigest == bytes32(0)) revert ZeroDigest();
        Trial storage trial = trialOf[trialId];
        if (trial.version != 0) revert AlreadyRegistered(trialId);
        uint64 now_ = uint64(block.timestamp);
        trial.currentDigest = recordDigest;
        trial.version = 1;
        trial.registeredAt = now_;
        trial.updatedAt = now_;
        emit TrialRegistered(trialId, recordDigest, now_);
    }

    /**
     * @notice Records the next version of a registered trial's record.
     * @dev Requiring the current digest as `previousDigest` makes the versions one unbroken chain:
     * an amendment prepared against an older version (two sponsors editing at once, a replayed
     * request) is refused rather than silently skipping the version in between. An unchanged digest
     * is refused because it would add a version that amends nothing.
     */
    function amendTrial(bytes32 trialId, bytes32 previousDigest, bytes32 newDigest) external onlyRelayer {
        Trial storage trial = trialOf[trialId];
        uint32 version = trial.version;
        if (version == 0) revert NotRegistered(trialId);
        if (newDigest == bytes32(0)) revert ZeroDigest();
        bytes32 current = trial.currentDigest;
        if (previousDigest != current) revert WrongPreviousDigest(trialId, current, previousDigest);
        if (newDigest == current) revert UnchangedDigest(trialId);
        uint64 now_ = uint64(block.timestamp);
        ++version;
        trial.currentDigest = newDigest;
        trial.version = version;
        trial.updatedAt = now_;
        emit TrialAmended(trialId, version, previousDigest, newDigest, now_);
    }

    /// @notice Whether `trialId` has been registered (and so whether enrolment may start).
    function isRegistered(bytes32 trialId) external view returns (bool) {
        return trialOf[trialId].version != 0;
    }

    /// @notice The block time of the first registration; 0 when not registered.
    function registeredAt(bytes32 trialId) external view returns (uint64) {
        return trialOf[trialId].registeredAt;
    }
}
