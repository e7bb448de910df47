// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

/**
 * @title LogWitness
 * @notice The on-chain witness of TrialLedger's transparency log: it keeps the latest anchored
 * checkpoint (tree size and RFC 6962 root) and accepts a new one only with a valid RFC 9162
 * §2.1.4 consistency proof from it. So once a checkpoint is anchored, nobody — the portal's
 * operator included — can fork the log or rewrite its anchored history without the chain
 * refusing: a later checkpoint that does not extend the anchored tree has no valid proof.
 * @dev The proof is checked with the SHA-256 precompile (0x02), the hash RFC 6962 and C2SP
 * tlog-tiles use; lib/merkle/verify.ts implements the same algorithm for browsers and the CLI.
 * Sizes are uint64, as in C2SP checkpoints. Like TrialRegistry, there is no upgrade path and no
 * ownership transfer. Only writers (the portal's relayer keys) may anchor: anyone could produce a
 * valid proof for a real later checkpoint, but letting strangers anchor would let them spend the
 * log's history on chain at their pace, and the anchoring cadence is the portal's to choose.
 */
contract LogWitness {
    /// @notice SHA-256 of no bytes: the root of the empty tree (RFC 9162 §2.1.1).
    bytes32 public constant EMPTY_ROOT = 0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855;

    /// @notice The log's origin (C2SP tlog-checkpoint's first line), e.g. "trials.example.org/log".
    string public origin;

    /// @notice The deployer. It decides who may anchor; it cannot alter an anchored checkpoint.
    address public immutable owner;

    /// @notice Accounts allowed to anchor checkpoints (the portal's relayer keys).
    mapping(address account => bool allowed) public isWriter;

    /// @dev Size and block share one slot, so an anchoring writes two slots: this and the root.
    uint64 private anchoredSize;
    uint64 private anchoredBlock;
    bytes32 private anchoredRoot = EMPTY_ROOT;

    event WriterSet(address indexed writer, bool allowed);
    /// @notice A checkpoint of `size` entries with `root` was anchored, extending the one of `oldSize`.
    event CheckpointAnchored(uint64 indexed size, bytes32 root, uint64 oldSize);

    error NotOwner(address caller);
    error NotWriter(address caller);
    /// @notice The old size given is not the anchored one: another anchoring came first.
    error StaleSize(uint64 stored);
    /// @notice A log never shrinks.
    error SizeDecreased(uint64 oldSize, uint64 newSize);
    /// @notice The proof does not show that the new tree extends the anchored one.
    error InconsistentCheckpoint();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @dev The deployer starts as a writer, so a local chain where deployer = relayer works at once.
    constructor(string memory origin_) {
        owner = msg.sender;
        origin = origin_;
        isWriter[msg.sender] = true;
        emit WriterSet(msg.sender, true);
    }

    /// @notice Allows or revokes a writer; revoking is how a leaked relayer key is cut off.
    function setWriter(address writer, bool allowed) external onlyOwner {
        isWriter[writer] = allowed;
        emit WriterSet(writer, allowed);
    }

    /**
     * @notice Anchors the checkpoint (newSize, newRoot), given a consistency proof from the anchored
     * checkpoint, whose size the caller states as `oldSize` (so two writers racing cannot both pass
     * a proof built for the same old size: the second gets StaleSize with the size to prove from).
     * @dev From size 0 the proof must be empty (every tree extends the empty one); equal sizes need
     * the anchored root and an empty proof (anchoring it again only records a later block).
     */
    function anchorCheckpoint(uint64 oldSize, uint64 newSize, bytes32 newRoot, bytes32[] calldata proof) external {
        if (!isWriter[msg.sender]) revert NotWriter(msg.sender);
        uint64 size = anchoredSize;
        if (oldSize != size) revert StaleSize(size);
        if (newSize < oldSize) revert SizeDecreased(oldSize, newSize);
        bytes32 root = anchoredRoot;
        bool consistent;
        if (newSize == oldSize) consistent = proof.length == 0 && newRoot == root;
        else if (oldSize == 0) consistent = proof.length == 0;
        else consistent = verifyConsistency(oldSize, newSize, root, newRoot, proof);
        if (!consistent) revert InconsistentCheckpoint();

        anchoredSize = newSize;
        anchoredBlock = uint64(block.number);
        anchoredRoot = newRoot;
        emit CheckpointAnchored(newSize, newRoot, oldSize);
    }

    /// @notice The anchored checkpoint, and the block that anchored it (0 before the first).
    function latest() external view returns (uint64 size, bytes32 root, uint64 blockNumber) {
        return (anchoredSize, anchoredRoot, anchoredBlock);
    }

    /**
     * @notice RFC 9162 §2.1.4.2 for 0 < m < n: whether the tree of n leaves with `newRoot` extends
     * the tree of its first m leaves with `oldRoot`, by `proof`.
     */
    function verifyConsistency(uint64 m, uint64 n, bytes32 oldRoot, bytes32 newRoot, bytes32[] calldata proof)
        public
        pure
        returns (bool)
    {
        if (m == 0 || m >= n || proof.length == 0) return false;
        uint256 i;
        bytes32 fr;
        // When m is a power of two the old root is a node of the new tree, and the proof omits it.
        if (m & (m - 1) == 0) {
            fr = oldRoot;
        } else {
            fr = proof[0];
            i = 1;
        }
        bytes32 sr = fr;
        uint64 fn = m - 1;
        uint64 sn = n - 1;
        while (fn & 1 == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        for (; i < proof.length; i++) {
            if (sn == 0) return false; // more hashes than levels
            bytes32 c = proof[i];
            if (fn & 1 == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr == oldRoot && sr == newRoot;
    }

    /// @dev SHA-256(0x01 ‖ left ‖ right), RFC 6962's interior node.
    function nodeHash(bytes32 left, bytes32 right) private pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x01), left, right));
    }
}
