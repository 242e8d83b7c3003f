# ibx_free_port [LO COUNT]: print a TCP port on 127.0.0.1 that nothing
# listens on now, drawn at random from LO .. LO+COUNT-1 (default
# 20000-59999, so concurrent tests rarely meet).  A port that must stay
# free while its server restarts is best drawn below Linux's ephemeral
# range (32768-60999), where no outgoing connection can be given it.
ibx_free_port() {
	local lo=${1:-20000} count=${2:-40000} p i
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
