/*
 * A new connection on the 4-tuple of one in TIME-WAIT.
 *
 * The server closes first (HTTP's "Connection: close"), so its side keeps each finished connection
 * in TIME-WAIT for 2 * TCP_MSL. A busy client soon reuses an ephemeral port whose connection is
 * still in TIME-WAIT here, and lwIP answers that client's SYN with a bare ACK and ignores the RST
 * that follows (RFC 1337), so the client's connect hangs until TIME-WAIT ends. Linux and the BSDs
 * instead accept such a SYN when its sequence number lies beyond the old connection's (RFC 6191
 * without timestamps). lwIP cannot re-route the segment to the listener from here, so the old
 * connection is dropped together with this SYN and the client's first retransmission (one second
 * later) reaches the listener.
 */
#include "lwip_hooks.h"

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

err_t tcp_timewait_inpacket_hook(struct tcp_pcb *pcb, struct tcp_hdr *hdr, u16_t optlen, u16_t opt1len, u8_t *opt2,
                                 struct pbuf *p) {
    (void)optlen;
    (void)opt1len;
    (void)opt2;
    (void)p;
    if (pcb->state != TIME_WAIT) return ERR_OK;
    if ((TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN) return ERR_OK;
    /* tcp_input has already turned the header's fields to host order */
    if (!TCP_SEQ_GT(hdr->seqno, pcb->rcv_nxt)) return ERR_OK;
    tcp_abort(pcb);
    return ERR_ABRT;
}
