/*
 * The baseline of the DTMF benchmark: libspandsp's dtmf_rx (Debian's libspandsp 0.0.6, default
 * parameters) over raw 8 kHz 16-bit little-endian audio, fed in 20 ms frames as RTP brings it.
 *
 *   spandsp-dtmf FILE                 the keys heard, on one line
 *   spandsp-dtmf -r N FILE            the same, the whole file N times; CPU seconds on stderr
 *   spandsp-dtmf FILE LEN...          the file as segments of LEN samples, a fresh detector for
 *                                     each: one line of keys per segment (the accuracy battery)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

static char heard[4096];
static size_t heard_len;

static void on_digits(void *user_data, const char *digits, int len) {
    (void) user_data;
    for (int i = 0; i < len && heard_len + 1 < sizeof heard; i++) heard[heard_len++] = digits[i];
    heard[heard_len] = '\0';
}

static void run(dtmf_rx_state_t *rx, const int16_t *amp, long n) {
    for (long at = 0; at < n; at += 160) dtmf_rx(rx, amp + at, (int) (n - at < 160 ? n - at : 160));
}

int main(int argc, char **argv) {
    int repeat = 1, arg = 1;
    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        repeat = atoi(argv[2]);
        arg = 3;
    }
    if (arg >= argc) {
        fprintf(stderr, "usage: spandsp-dtmf [-r N] FILE [SEGMENT_SAMPLES...]\n");
        return 2;
    }
    FILE *f = fopen(argv[arg], "rb");
    if (!f) {
        perror(argv[arg]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f) / 2;
    fseek(f, 0, SEEK_SET);
    int16_t *amp = malloc((size_t) n * 2 + 2);
    if (fread(amp, 2, (size_t) n, f) != (size_t) n) {
        perror("read");
        return 1;
    }
    fclose(f);
    /* 0.0.6: dtmf_rx_init(state or NULL, callback, user data) */
    dtmf_rx_state_t *rx = dtmf_rx_init(NULL, on_digits, NULL);
    if (arg + 1 < argc) {
        long at = 0;
        for (int i = arg + 1; i < argc && at < n; i++) {
            long len = atol(argv[i]);
            if (at + len > n) len = n - at;
            dtmf_rx_init(rx, on_digits, NULL);
            heard_len = 0;
            heard[0] = '\0';
            run(rx, amp + at, len);
            printf("%s\n", heard);
            at += len;
        }
        return 0;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int r = 0; r < repeat; r++) {
        run(rx, amp, n);
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    printf("%s\n", heard);
    fprintf(stderr, "cpu %.6f\n", (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
