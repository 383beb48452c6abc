/**
 * The micro-chain: how a chunk's copy group orders its owner's writes.
 *
 * <h2>Protocol</h2>
 * A stable-leader, two-phase HotStuff: the protocol of HotStuff-2 (D. Malkhi, K. Nayak,
 * "HotStuff-2: Optimal Two-Phase Responsive BFT", 2023) in its stable-leader form, with the
 * commit rule and lock of its two-chain variant (as in Jolteon, R. Gelashvili et al., FC 2022).
 * For {@code n = 3f + 1} members and quorum {@code q = floor(2n/3) + 1}:
 * <ul>
 *   <li>The leader of view {@code v} is {@code members[(h(chunk) + v) mod n]}. It proposes block
 *       {@code B} at height {@code h} carrying {@code justify}, the certificate (QC) of its parent
 *       at {@code h - 1}; blocks in one view form a chain, one block in flight at a time, many
 *       operations per block.</li>
 *   <li>A member votes for {@code B} only if (1) the rank {@code (view, height)} of {@code B} is
 *       above every rank it voted for before, (2) {@code B.justify} ranks at least as high as its
 *       lock, the highest QC it has seen, (3) every operation passes {@link
 *       org.cnt.farmer.microchain.OpValidator} on top of the parent's metadata, and (4) the state
 *       root the block claims for a committed height is the member's own root there. It persists
 *       the block, the vote's rank and its lock before the vote leaves.</li>
 *   <li>{@code q} votes form a QC. A block {@code B} is committed when its child {@code C}, proposed
 *       in the same view with {@code C.justify = QC(B)}, is certified too (two-chain rule).</li>
 *   <li>A member that sees no progress for a timeout (doubling per consecutive view change) moves
 *       to {@code v + 1} and sends every member its lock. The new leader waits for {@code q}
 *       such messages plus a short wait for the rest, and extends the highest QC among them.
 *       When {@code f + 1} members are known (by signed new-view messages) to be at view
 *       {@code w} or beyond, a member below {@code w} moves to {@code w}: at least one honest
 *       member is there, and members whose doubling timeouts drifted into different views meet
 *       in one. A member that timed out into a view that fewer than {@code f + 1} members have
 *       reached does not time out further (it sends its new-view again): the others arrive by
 *       their own timeouts, instead of it staying ahead of them for ever. A seal ({@code
 *       ChunkOp.Seal}) ends a membership epoch: see the module README.</li>
 * </ul>
 *
 * <h2>Safety argument</h2>
 * Honest members vote at most once per rank, so at most one block per rank is certified (two QCs
 * at one rank would need {@code 2q - n >= f + 1} members to vote twice). Suppose {@code B} is
 * committed: {@code QC(B)} and {@code QC(C)} exist, {@code C} the child of {@code B} in the same
 * view. At least {@code f + 1} honest members voted for {@code C}, so they had seen {@code QC(B)}
 * and hold a lock of rank at least {@code rank(B)}; the lock is persisted before their vote. Any
 * block {@code D} of higher rank that does not extend {@code B} needs a QC, hence a vote from one
 * of them, which requires {@code D.justify} to rank at least {@code rank(B)}. By induction over
 * ranks, every QC of rank at least {@code rank(B)} certifies a block extending {@code B} (inside
 * {@code B}'s view the unique-QC-per-rank and the parent links give this directly), so no
 * conflicting block can be committed. Nothing here depends on timing: delays, drops, reordering,
 * crashes with recovery from the persisted log, and up to {@code f} Byzantine members can only
 * slow the group down.
 *
 * <h2>Liveness</h2>
 * After the network heals, a view with an honest leader whose new-view wait saw every honest
 * lock gets votes from every honest member: it extends the highest lock. Lost messages are
 * resent (proposals, certificates, votes on a repeated proposal), and a member that falls behind
 * fetches certified blocks from its peers in turn.
 *
 * <h2>State</h2>
 * Committed blocks are applied to {@link org.cnt.farmer.microchain.ChunkState}: pages under a
 * Merkle tree plus the session and per-slice sequence numbers; each block states the root of the
 * leader's latest committed height, which voters check against their own, so a QC'd block
 * certifies a root that clients can verify reads against.
 *
 * <p>The simulator in this module's tests ({@code org.cnt.farmer.sim}) drives these classes with a
 * seeded network, disks and clock; see the module README for how to replay a seed.
 */
package org.cnt.farmer.microchain;
