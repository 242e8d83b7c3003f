# ibx_free_port [LO COUNT]: print a TCP port on 127.0.0.1 that nothing
# listens on now, drawn at random from LO .. LO+COUNT-1 (default
# 20000-32767, so concurrent tests rarely meet).  The default stays below
# Linux's ephemeral range (32768-60999): there no outgoing connection can
# be given the port between this check and the server's bind, nor while
# its server restarts (CI lost it_install and it_faults' PostgreSQL that
# way when ports were drawn up to 59999).
ibx_free_port() {
	local lo=${1:-20000} count=${2:-12768} p i
	for i in $(seq 1 200); do
		p=$((lo + RANDOM % count))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "ibx_free_port: no free port found" >&2
	return 1
}
