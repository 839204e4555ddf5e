/**
 * Every address, IPv4 and IPv6: the default wherever traffic to or from outside
 * the cluster is allowed (HTTPS egress, managed datastores, a LoadBalancer
 * Service). `0.0.0.0/0` alone silently blocks a dual-stack or IPv6-only peer.
 */
export const EVERY_ADDRESS: readonly string[] = ['0.0.0.0/0', '::/0'];
