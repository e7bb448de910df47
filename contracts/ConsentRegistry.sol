// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import {ISemaphore} from "@semaphore-protocol/contracts/interfaces/ISemaphore.sol";
import {ISemaphoreGroups} from "@semaphore-protocol/contracts/interfaces/ISemaphoreGroups.sol";
import {ITrialRegistry} from "./ITrialRegistry.sol";

/**
 * @title ConsentRegistry
 * @notice Anonymous, dynamic consent for TrialLedger's registered trials. Each trial's participants
 * form one Semaphore group; a participant gives, changes or withdraws consent with a zero-knowledge
 * proof of membership whose message is the decision. The chain keeps every trial's latest decision
 * per pseudonym, and every decision with its full proof in the logs, so anyone can count and
 * re-verify consent without trusting the portal.
 * @dev No personal data is stored or emitted: a member is an identity commitment (a Poseidon hash
 * of a key the participant's device holds), a decision is keyed by the proof's nullifier, which is
 * a per-trial pseudonym that cannot be linked to the commitment or to the same person's nullifier in
 * another trial, and consent texts are only digests. Nothing is ever deleted: withdrawal is a new
 * decision (no grants), not a removal from the group. Like TrialRegistry, there is no upgrade path.
 *
 * The consent message packs a decision into one uint256 (lib/consent/message.ts holds the same layout):
 *   bits   0..63   grants (bit i set ⇔ consent item i is granted)
 *   bits  64..95   the consent-text version the participant read (≥ 1)
 *   bits  96..159  sequence number, strictly increasing per pseudonym and trial (≥ 1)
 *   bits 160..255  zero (the portal's pseudonym-handover challenges set bit 255, so such a proof can
 *                  never be replayed here as a consent)
 */
contract ConsentRegistry {
    /// @dev One storage slot (64 + 32 + 64 + 64 bits): recording a decision costs a single SSTORE.
    struct Decision {
        uint64 grants;
        uint32 textVersion;
        uint64 sequence;
        uint64 recordedAt;
    }

    /**
     * @notice The only Merkle tree depth a consent proof may have.
     * @dev Semaphore's verifier accepts depths 1..32, and a proof at depth d proves membership of
     * the group's first 2^d leaves only when the group fits them: a depth-3 proof in a 23-member
     * group hides its maker among at most 8 members, and the depth itself tells the group's size
     * when the proof was made. One fixed depth (2^20 = 1,048,576 members) makes every proof cover
     * the whole group. lib/consent/artifacts.ts CONSENT_TREE_DEPTH is the same number.
     */
    uint256 public constant TREE_DEPTH = 20;

    /// @notice The Semaphore instance holding the trials' groups and verifying their proofs.
    ISemaphore public immutable semaphore;

    /// @notice The TrialRegistry whose registered trials may enrol participants.
    ITrialRegistry public immutable trialRegistry;

    /// @notice The deployer. It decides who may enrol and publish texts; it cannot alter a decision.
    /// @dev Immutable, as in TrialRegistry: no ownership transfer, so no second key to steal.
    address public immutable owner;

    /**
     * @notice How long (seconds) a group root stays usable for proofs after it was created, once a
     * later enrolment has replaced it. The current root is always usable.
     * @dev Semaphore measures this from the root's creation, not from when it was replaced: a root
     * older than `rootValidity` stops verifying the moment the next enrolment replaces it.
     */
    uint256 public immutable rootValidity;

    /// @notice Accounts allowed to enrol members and publish consent texts (the portal's relayer keys).
    /// @dev Submitting consent needs no permission: the proof is the authorisation.
    mapping(address account => bool allowed) public isRelayer;

    /// @notice The latest consent-text version published for a trial; 0 when none.
    mapping(bytes32 trialId => uint32 version) public consentVersionOf;

    /// @notice SHA-256 (or other 32-byte digest) of a version of a trial's consent text; zero when unpublished.
    mapping(bytes32 trialId => mapping(uint32 version => bytes32 digest)) public consentTextDigest;

    /// @notice A pseudonym's latest decision in a trial; all zero when it has never decided.
    /// @return grants granted items as a bit mask (bit i = item i); 0 after a full withdrawal
    /// @return textVersion the consent-text version the decision was made on
    /// @return sequence the decision's sequence number; a later one must be greater
    /// @return recordedAt block time the decision was recorded
    mapping(bytes32 trialId => mapping(uint256 nullifier => Decision)) public decisionOf;

    /// @notice How many pseudonyms have decided at least once in a trial. Group size minus this is
    /// how many members have not answered yet.
    mapping(bytes32 trialId => uint256 count) public decidedCount;

    /// @dev Semaphore group id + 1, so that 0 means "no group yet" (Semaphore's first group id is 0).
    mapping(bytes32 trialId => uint256 groupIdPlusOne) private groupIdPlusOne;

    event RelayerSet(address indexed relayer, bool allowed);
    event Enrolled(bytes32 indexed trialId, uint256 indexed groupId, uint256 firstIndex, uint256 count);
    event ConsentTextPublished(bytes32 indexed trialId, uint32 version, bytes32 textDigest);
    /// @dev Carries the whole proof (scope is consentScope(trialId)), so every decision can be
    /// re-verified from the logs alone, against the roots in Semaphore's MembersAdded events.
    event ConsentRecorded(
        bytes32 indexed trialId,
        uint256 indexed nullifier,
        uint64 grants,
        uint32 textVersion,
        uint64 sequence,
        uint256 merkleTreeRoot,
        uint256 merkleTreeDepth,
        uint256 message,
        uint256[8] points
    );

    error NotOwner();
    error NotRelayer(address caller);
    error NotRegistered(bytes32 trialId);
    error EmptyBatch();
    error ZeroDigest();
    error WrongConsentVersion(bytes32 trialId, uint32 expected, uint32 given);
    error NotEnrolled(bytes32 trialId);
    error WrongScope(uint256 expected, uint256 given);
    error MalformedMessage();
    error WrongTreeDepth(uint256 expected, uint256 given);
    error UnknownConsentVersion(bytes32 trialId, uint32 version);
    error StaleSequence(uint256 nullifier, uint64 last, uint64 given);
    error InvalidProof();

    modifier onlyRelayer() {
        if (!isRelayer[msg.sender]) revert NotRelayer(msg.sender);
        _;
    }

    /**
     * @param semaphore_ the Semaphore instance; this contract becomes the admin of the groups it creates there
     * @param trialRegistry_ the TrialRegistry that says which trials exist
     * @param rootValidity_ seconds an old group root stays usable (see rootValidity)
     * @dev The deployer starts as a relayer so a local chain where deployer = relayer works at once.
     */
    constructor(ISemaphore semaphore_, address trialRegistry_, uint256 rootValidity_) {
        semaphore = semaphore_;
        trialRegistry = ITrialRegistry(trialRegistry_);
        rootValidity = rootValidity_;
        owner = msg.sender;
        isRelayer[msg.sender] = true;
        emit RelayerSet(msg.sender, true);
    }

    /**
     * @notice Allows or revokes a relayer.
     * @dev Revoking cuts off a leaked relayer key; members it enrolled and texts it published stay.
     */
    function setRelayer(address relayer, bool allowed) external {
        if (msg.sender != owner) revert NotOwner();
        isRelayer[relayer] = allowed;
        emit RelayerSet(relayer, allowed);
    }

    /**
     * @notice Adds participants' identity commitments to a registered trial's group, creating the
     * group on the first enrolment.
     * @dev Only a relayer may enrol: the portal admits a commitment in exchange for a single-use
     * enrolment code, which is what stops anyone from joining a trial's group. Batches are far
     * cheaper per member than single additions (Semaphore inserts them in one pass). Semaphore
     * refuses a commitment that is already a member, reverting the whole batch.
     */
    function enrol(bytes32 trialId, uint256[] calldata identityCommitments) external onlyRelayer {
        if (!trialRegistry.isRegistered(trialId)) revert NotRegistered(trialId);
        if (identityCommitments.length == 0) revert EmptyBatch();
        uint256 stored = groupIdPlusOne[trialId];
        uint256 groupId;
        uint256 firstIndex;
        if (stored == 0) {
            groupId = semaphore.createGroup(address(this), rootValidity);
            groupIdPlusOne[trialId] = groupId + 1;
        } else {
            groupId = stored - 1;
            firstIndex = ISemaphoreGroups(address(semaphore)).getMerkleTreeSize(groupId);
        }
        semaphore.addMembers(groupId, identityCommitments);
        emit Enrolled(trialId, groupId, firstIndex, identityCommitments.length);
    }

    /**
     * @notice Anchors the digest of the next version of a trial's plain-language consent text, so a
     * participant can later prove which text they agreed to.
     * @dev Versions are 1, 2, 3, … with no gaps, and one cannot be replaced: a decision names the
     * version it was made on, and that must keep meaning the same text.
     */
    function publishConsentText(bytes32 trialId, uint32 version, bytes32 textDigest) external onlyRelayer {
        if (!trialRegistry.isRegistered(trialId)) revert NotRegistered(trialId);
        if (textDigest == bytes32(0)) revert ZeroDigest();
        uint32 expected = consentVersionOf[trialId] + 1;
        if (version != expected) revert WrongConsentVersion(trialId, expected, version);
        consentVersionOf[trialId] = version;
        consentTextDigest[trialId][version] = textDigest;
        emit ConsentTextPublished(trialId, version, textDigest);
    }

    /**
     * @notice Records a member's consent decision, proven with a Semaphore proof over the trial's group.
     * @dev Permissionless: the proof is the authorisation, so anyone — the portal, the participant, a
     * third party — may relay it, and the portal cannot censor a decision by refusing to send it.
     *
     * Semaphore's `validateProof` would mark the nullifier used after one proof, but a participant
     * decides many times with the same nullifier (give, change, withdraw). So the view `verifyProof`
     * is called and replay is refused here with the sequence number: a proof is accepted only when
     * its sequence is above the pseudonym's last one, so resubmitting an older decision cannot undo
     * a newer one. The checks run cheapest first; the pairing check comes last.
     *
     * `verifyProof` reverts for a root that was never the group's (Semaphore__MerkleTreeRootIsNotPartOfTheGroup)
     * or an expired old one (Semaphore__MerkleTreeRootIsExpired); those errors pass through. It
     * returns false for a bad proof — and also when it runs out of gas (the pairing precompile
     * fails instead of reverting) — so false reverts with InvalidProof and never records anything:
     * a relayer that sends too little gas cannot burn a participant's decision.
     */
    function submitConsent(bytes32 trialId, ISemaphore.SemaphoreProof calldata proof) external {
        uint256 stored = groupIdPlusOne[trialId];
        if (stored == 0) revert NotEnrolled(trialId);

        uint256 scope = consentScope(trialId);
        if (proof.scope != scope) revert WrongScope(scope, proof.scope);
        if (proof.merkleTreeDepth != TREE_DEPTH) revert WrongTreeDepth(TREE_DEPTH, proof.merkleTreeDepth);

        uint256 message = proof.message;
        if (message >> 160 != 0) revert MalformedMessage();
        uint64 grants = uint64(message);
        uint32 textVersion = uint32(message >> 64);
        uint64 sequence = uint64(message >> 96);
        if (textVersion == 0 || sequence == 0) revert MalformedMessage();

        if (textVersion > consentVersionOf[trialId]) revert UnknownConsentVersion(trialId, textVersion);

        Decision storage decision = decisionOf[trialId][proof.nullifier];
        uint64 last = decision.sequence;
        if (sequence <= last) revert StaleSequence(proof.nullifier, last, sequence);

        if (!semaphore.verifyProof(stored - 1, proof)) revert InvalidProof();

        if (last == 0) ++decidedCount[trialId];
        decision.grants = grants;
        decision.textVersion = textVersion;
        decision.sequence = sequence;
        decision.recordedAt = uint64(block.timestamp);
        emitConsentRecorded(trialId, proof, grants, textVersion, sequence);
    }

    /// @dev Its own function only because the event's nine fields do not fit the stack beside submitConsent's locals.
    function emitConsentRecorded(
        bytes32 trialId,
        ISemaphore.SemaphoreProof calldata proof,
        uint64 grants,
        uint32 textVersion,
        uint64 sequence
    ) private {
        emit ConsentRecorded(
            trialId,
            proof.nullifier,
            grants,
            textVersion,
            sequence,
            proof.merkleTreeRoot,
            proof.merkleTreeDepth,
            proof.message,
            proof.points
        );
    }

    /**
     * @notice A trial's group, if the trial has enrolled anyone yet.
     * @return exists whether the group has been created (by the first enrolment)
     * @return groupId the Semaphore group id; 0 when it does not exist (0 is also a valid id, so check `exists`)
     */
    function groupOf(bytes32 trialId) external view returns (bool exists, uint256 groupId) {
        uint256 stored = groupIdPlusOne[trialId];
        if (stored == 0) return (false, 0);
        return (true, stored - 1);
    }

    /**
     * @notice The Semaphore scope a consent proof for `trialId` must carry.
     * @dev Binding the chain and this contract makes a proof useless on another deployment; binding
     * the trial makes a participant's nullifier (their pseudonym) differ from trial to trial, so
     * decisions in two trials cannot be linked. lib/consent/message.ts consentScope() computes the same.
     */
    function consentScope(bytes32 trialId) public view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), trialId)));
    }
}
