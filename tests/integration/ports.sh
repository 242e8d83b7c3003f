# ibx_free_port: print a TCP port on 127.0.0.1 that nothing listens on now.
# Ports are drawn at random from 20000-59999 so concurrent tests rarely meet.
ibx_free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "ibx_free_port: no free port found" >&2
	return 1
}
